"""The knowledge base as handlers see it: one search index per process, kept in step with imports.

The index is built from the database on first use and rebuilt when an import has changed the
entries (checked at most every few seconds, by a cheap count-and-latest-update query). A build
reads most of the Sudachi dictionary, so its pages are let go after it (``bot.sudachi``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from bot.city import City
from bot.knowledge import gaps
from bot.knowledge.cards import CardData, card_data, salons_this_week
from bot.knowledge.facets import Facets
from bot.knowledge.models import KbEntry
from bot.knowledge.records import Entry
from bot.knowledge.schedule import Session
from bot.knowledge.search import SearchIndex, SearchResult
from bot.knowledge.store import load_entries
from bot.storage.db import Database
from bot.sudachi import let_go_of_pages

RECHECK_SECONDS = 5.0
KEEP_BEST = 0.7  # remembered facets may not push the best answer below this share of its score


@dataclass
class _Built:
    index: SearchIndex
    entries: list[Entry]
    by_key: dict[str, Entry]
    signature: tuple
    # Cards as of one day, by entry key: a card depends only on its entry, the day and the city,
    # and making one (the next sessions, dates written in five languages) was a fifth of the
    # CPU spent answering a question (docs/benchmarks.md). Rebuilt entries start a new dict.
    cards: dict[str, CardData] = field(default_factory=dict)
    cards_day: date | None = None


class KnowledgeBase:
    def __init__(self, db: Database, city: City):
        self.db = db
        self.city = city
        self._built: _Built | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build the index now (a web worker, before it serves: see ``bot/gunicorn_conf.py``)."""
        self._current()

    def look_again(self) -> None:
        """After an import made in this process (the admin page's): the next lookup reads the
        entries' signature at once instead of up to RECHECK_SECONDS later."""
        with self._lock:
            self._checked = float("-inf")

    def _signature(self) -> tuple:
        with self.db.reading() as session:
            return tuple(
                session.execute(select(func.count(KbEntry.id), func.max(KbEntry.updated_at))).one()
            )

    def _current(self) -> _Built:
        with self._lock:
            now = time.monotonic()
            if self._built is not None and now - self._checked < RECHECK_SECONDS:
                return self._built
            signature = self._signature()
            self._checked = now
            if self._built is None or self._built.signature != signature:
                entries = load_entries(self.db)
                self._built = _Built(
                    SearchIndex.build(entries, self.city),
                    entries,
                    {e.key: e for e in entries},
                    signature,
                )
                # Indexing read words from all over the dictionary; answering reads far fewer.
                let_go_of_pages()
            return self._built

    # ------------------------------------------------------------ what the handlers use

    def search(
        self, question: str, today: date, limit: int = 5, remembered: Facets | None = None
    ) -> SearchResult:
        """Search a question; ``remembered`` facets (the stage and area the family chose in the
        guided search) fill in what it does not say, unless they would hide a far better
        answer (a procedure at the city hall for a family in 北地区)."""
        index = self._current().index
        plain = index.search(question, limit=limit, today=today)
        if remembered is None:
            return plain
        tuned = index.search(question, limit=limit, today=today, remembered=remembered)
        if not tuned.remembered:
            return plain
        best = plain.answers[0].score if plain.answers else 0.0
        if best and (not tuned.answers or tuned.answers[0].score < KEEP_BEST * best):
            return plain
        return tuned

    def search_for(
        self,
        question: str,
        look_for: tuple[str, ...],
        today: date,
        limit: int = 5,
        remembered: Facets | None = None,
    ) -> SearchResult:
        """A question made precise by a clarifying answer: the kinds of service it names, with
        the question's own facets (age, day, area)."""
        index = self._current().index
        asked = index.search(question, limit=1, today=today, remembered=remembered)
        return index.search(" ".join(look_for), limit=limit, today=today, facets=asked.facets)

    def note_gap(
        self, session: OrmSession, question: str, result: SearchResult, today: date
    ) -> bool:
        """Keep a question that got no good answer for the editors (``bot.knowledge.gaps``)."""
        if result.unrelated:
            kind = gaps.UNRELATED
        else:
            kind = gaps.CLOSEST if result.results else gaps.NOTHING
        closest = result.results[0].entry.key if result.results and not result.unrelated else ""
        return gaps.record(session, question, kind, today, result.needs, closest)

    def entry(self, key: str) -> Entry | None:
        return self._current().by_key.get(key)

    def of_kind(self, kind: str) -> list[Entry]:
        """Every entry of one kind (the outreach sessions, ``bot.outreach``)."""
        return [e for e in self._current().entries if e.kind == kind]

    def card(self, entry: Entry, today: date) -> CardData:
        built = self._current()
        if built.by_key.get(entry.key) is not entry:  # not one of the index's own entries
            return card_data(entry, today, self.city)
        with self._lock:
            if built.cards_day != today:
                built.cards, built.cards_day = {}, today
            cards = built.cards
        card = cards.get(entry.key)
        if card is None:
            card = cards[entry.key] = card_data(entry, today, self.city)
        return card

    def salons_this_week(self, today: date, stage: str | None, area: str | None) -> list[Session]:
        return salons_this_week(self._current().entries, today, self.city, stage, area)

    def browse(
        self, today: date, stage: str | None, area: str | None, weekday: int | None, limit: int = 5
    ) -> SearchResult:
        """The guided search: everything for a stage, area and weekday, filters relaxing."""
        facets = Facets(
            stages=frozenset({stage}) if stage else frozenset(),
            weekdays=frozenset({weekday}) if weekday is not None else frozenset(),
            area=area,
        )
        return self._current().index.search("", limit=limit, today=today, facets=facets)
