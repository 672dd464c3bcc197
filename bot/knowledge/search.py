"""Finding services, salons and events from a parent's own words.

An in-memory index built from the entries: BM25F over weighted fields (the name counts most),
terms from Sudachi with readings, reading bigrams for hiragana and misspelt questions, a
city-edited synonym list, facets (age, weekday, area) as filters that relax when nothing
matches, and a character-bigram fuzzy fallback for names nothing else found.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from bot.city import City
from bot.knowledge.facets import Facets, extract
from bot.knowledge.fits import told_nothing_fits
from bot.knowledge.multilingual import is_japanese, japanese_query
from bot.knowledge.needs import Need, NeedReader, is_kana, vague, within
from bot.knowledge.records import Entry
from bot.knowledge.schedule import rule_weekdays
from bot.knowledge.text import (
    analyzer,
    bigrams,
    fold,
    fold_endings,
    slip_fold,
    strip_question,
)

# How much a word counts in each field: a name match beats a match in the description.
FIELD_WEIGHTS = {
    "name": 3.0,
    "kana": 2.0,
    "keywords": 2.0,
    "summary": 1.0,
    "where": 0.7,
    "description": 0.5,
    "gram": 0.5,
}
K1, B = 1.2, 0.75
# Filters are dropped in this order when nothing matches them all.
RELAX_ORDER = ("weekday", "area", "age")
RELAX_SCORE = 0.4  # …or when what is left scores far under the best match overall
SYNONYM_WEIGHT = 0.6  # a synonym helps find; the parent's own word counts more
NEED_WEIGHT = 0.8  # a kind of service a stated need calls for
SITUATION_WEIGHT = 0.3  # a life event's kinds when a service is named beside it
QUIET_WEIGHT = 0.3  # a generic word (申請, 助成) or an errand's (歯医者 while care is asked)
COMMON_GRAM = 0.2  # share of entries above which a bigram is skipped
FUZZY_MIN = 0.34  # below this Dice similarity a name is not a plausible misspelling
_NO_POSTINGS = (array("i"), array("d"))
# Below this BM25 score a hit is not an answer (a greeting scores ~2, the weakest real question
# in the evaluation set well above 3).
GOOD_SCORE = 2.5
KIND_ORDER = {"salon": 0, "event": 1, "facility": 2, "service": 3, "outreach": 4}


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    matched: tuple[str, ...] = ()
    fuzzy: bool = False


@dataclass(frozen=True)
class SearchResult:
    query: str
    results: list[Hit]
    facets: Facets
    relaxed: list[str] = field(default_factory=list)  # filters dropped to find anything
    fuzzy: bool = False  # found only by name similarity ("did you mean …")
    needs: tuple[str, ...] = ()  # the needs the question states (bot.knowledge.needs)
    # The question is about something the guide does not cover: no hit is an answer.
    unrelated: bool = False
    clarify: Need | None = None  # the question is only a vague need: ask which is meant
    remembered: tuple[str, ...] = ()  # facets taken from the family's earlier answers
    care: bool = False  # a need a tired or lonely parent states (see Need.care)

    @property
    def answers(self) -> list[Hit]:
        """The hits good enough to be shown as answering the question (the rest are at most
        "the closest", with an offer of a specialist)."""
        if self.unrelated:
            return []
        return [h for h in self.results if h.score >= GOOD_SCORE and not h.fuzzy]


@dataclass
class _Doc:
    entry: Entry
    weekdays: frozenset[int] | None  # None: no schedule given, so any day may do
    stages: frozenset[str]
    area: str | None
    terms: frozenset[str] = frozenset()  # to say which words matched


class SearchIndex:
    def __init__(self) -> None:
        self.docs: list[_Doc] = []
        self.postings: dict[str, tuple[array, array]] = {}
        self.name_grams: dict[str, list[tuple[int, int]]] = {}  # gram → (doc, grams in name)
        self.city: City | None = None
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.needs: NeedReader | None = None

    @classmethod
    def build(
        cls,
        entries: Iterable[Entry],
        city: City | None = None,
        synonyms: dict[str, Sequence[str]] | None = None,
        needs: NeedReader | None = None,
    ) -> SearchIndex:
        index = cls()
        index.city = city
        raw = synonyms if synonyms is not None else (city.synonyms if city else {})
        index.synonyms = {fold(k): tuple(v) for k, v in raw.items()}
        index.needs = needs or (NeedReader.from_data(city.needs) if city else None)
        a = analyzer()
        tfs: list[dict[str, float]] = []
        lengths: list[float] = []
        for i, entry in enumerate(entries):
            index.docs.append(_doc(entry))
            tf: dict[str, float] = defaultdict(float)
            length = 0.0
            for name, texts in _fields(entry, city).items():
                weight = FIELD_WEIGHTS[name]
                for text in texts:
                    if not text:
                        continue
                    terms = (
                        _grams(text, a.analyze(text).reading)
                        if name == "gram"
                        else a.analyze(text).terms
                    )
                    for t in terms:
                        tf[t] += weight
                    length += weight * len(terms)
            tfs.append(tf)
            lengths.append(length)
            index.docs[-1].terms = frozenset(t for t in tf if not t.startswith("#"))
            for variant in {fold(entry.name), a.analyze(entry.name).reading, fold(entry.kana)}:
                grams = set(bigrams(slip_fold(variant.replace(" ", ""))))
                for g in grams:
                    index.name_grams.setdefault(g, []).append((i, len(grams)))
        index._weigh(tfs, lengths)
        return index

    def _weigh(self, tfs: list[dict[str, float]], lengths: list[float]) -> None:
        """Precompute each term's BM25 contribution per document, so a query only adds."""
        n = len(tfs)
        avg = (sum(lengths) / n) if n else 1.0
        df: dict[str, int] = defaultdict(int)
        for tf in tfs:
            for t in tf:
                df[t] += 1
        # Two flat arrays per term (documents, contributions): a tenth of a list of tuples.
        postings: dict[str, tuple[array, array]] = {}
        for i, tf in enumerate(tfs):
            norm = K1 * (1 - B + B * lengths[i] / avg)
            for t, f in tf.items():
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                pair = postings.get(t)
                if pair is None:
                    pair = postings[t] = (array("i"), array("d"))
                pair[0].append(i)
                pair[1].append(idf * f * (K1 + 1) / (f + norm))
        self.postings = postings

    def __len__(self) -> int:
        return len(self.docs)

    def search(
        self,
        query: str,
        limit: int = 5,
        today: date | None = None,
        kinds: Sequence[str] = (),
        facets: Facets | None = None,
        remembered: Facets | None = None,
    ) -> SearchResult:
        """Entries for a question; ``facets`` given (the guided search) are used as they are
        instead of being read from the question; ``remembered`` (the stage and area the family
        chose before) fill in what the question does not say."""
        today = today or date.today()
        asked, japanese = query, is_japanese(query)  # what fits is judged on Japanese
        query = japanese_query(query, self.city)  # another language: its Japanese words
        used: tuple[str, ...] = ()
        if facets is None:
            facets, plain = extract(query, self.city, today)
            if remembered is not None:
                facets, used = _fill(facets, remembered)
        else:
            plain = query
        a = analyzer()
        ended = fold_endings(plain)
        whole = a.analyze(fold_endings(query)) if plain != query else None  # 週末 said too
        said = self.needs.read(a.analyze(ended), whole) if self.needs else []
        plain = strip_question(ended)
        analysis = a.analyze(plain)
        asked_for, around = self.needs.focus(said) if self.needs else (said, frozenset())
        # Words that only say which kind of help (助成, 申請, 予約) or the occasion (歯医者 when
        # care is asked for while there) count little: they never decide the best entry.
        quiet = self.needs.quiet if self.needs else frozenset()
        weights = {
            t: QUIET_WEIGHT if t in quiet or within(frozenset([t]), around) else 1.0
            for t in analysis.terms
        }
        folded = fold(plain)
        for word, targets in self.synonyms.items():
            if word in folded:
                # …and so does a synonym of such a word (夜 → 夜間 when 夜中 is only when a baby
                # wakes: 「夜中に何度も起きる」 is not the night-time doctor's line).
                weight = QUIET_WEIGHT if within(frozenset([word]), around) else SYNONYM_WEIGHT
                for target in targets:
                    for t in a.analyze(target).terms:
                        weights.setdefault(t, weight)
        situation = self.needs is not None and self.needs.situation(asked_for, analysis)
        for s in asked_for:  # what fits is judged on every need said, the ranking on these
            weight = NEED_WEIGHT * s.need.weight * (SITUATION_WEIGHT if situation else 1.0)
            for target in s.need.look_for:
                # A kind of service counts as one word of the question, however many it has.
                found = a.analyze(target)
                for t in found.terms:
                    weights.setdefault(t, weight / max(1, len(found.words)))
        grams = _grams(plain, analysis.reading)
        for g in grams:  # bigrams back words up; together they count about as much as two words
            weights.setdefault(g, min(1.0, 2.0 / len(grams)))

        scores: dict[int, float] = defaultdict(float)
        common = COMMON_GRAM * len(self.docs)
        for term, qw in weights.items():
            docs, contributions = self.postings.get(term, _NO_POSTINGS)
            if len(docs) > common and term.startswith("#"):
                continue  # a bigram in most names tells little and costs the most time
            for i, contribution in zip(docs, contributions, strict=True):
                scores[i] += qw * contribution
        fuzzy = False
        if not weights:  # only facets were asked: browse everything they allow
            scores = {i: 0.0 for i in range(len(self.docs))}
        elif not scores:
            scores, fuzzy = self._fuzzy(folded, analysis.reading), True
        if kinds:
            scores = {i: s for i, s in scores.items() if self.docs[i].entry.kind in kinds}

        kept, relaxed = self._filter(scores, facets)
        # Only the best few are sorted fully (ties: salons and events first, then file order).
        top = heapq.nlargest(limit * 3 + 10, kept, key=scores.__getitem__)
        top.sort(
            key=lambda i: (
                -scores[i],
                -_specificity(self.docs[i], facets),
                KIND_ORDER.get(self.docs[i].entry.kind, 9),
                i,
            )
        )
        words = [t for t in weights if not t.startswith("#")]
        hits = [
            Hit(
                self.docs[i].entry,
                round(scores[i], 4),
                tuple(t for t in words if t in self.docs[i].terms),
                fuzzy,
            )
            for i in top[:limit]
        ]
        return SearchResult(
            query,
            hits,
            facets,
            relaxed,
            fuzzy and bool(hits),
            tuple(s.need.id for s in said),
            (len(folded.strip()) == 1 and is_kana(folded.strip()))  # a slip of the thumb
            or told_nothing_fits(
                analysis, said, self._known(folded), self.needs, (asked, query, plain, japanese)
            ),
            vague(analysis, said),
            used,
            any(s.need.care for s in said),
        )

    def _filter(self, scores: dict[int, float], facets: Facets) -> tuple[list[int], list[str]]:
        if not (facets.months is not None or facets.stages or facets.area or facets.weekdays):
            return list(scores), []
        active = [
            name
            for name, on in (
                ("age", facets.months is not None or facets.stages),
                ("area", facets.area),
                ("weekday", facets.weekdays),
            )
            if on
        ]
        # A filter that leaves only weak, incidental matches has left nothing worth showing.
        good = RELAX_SCORE * max(scores.values(), default=0.0)
        for dropped in range(len(active) + 1):
            relaxed = [f for f in RELAX_ORDER if f in active][:dropped]
            use = [f for f in active if f not in relaxed]
            kept = [i for i in scores if all(_passes(self.docs[i], f, facets) for f in use)]
            if any(scores[i] >= good for i in kept) or not scores:
                return kept, relaxed
        return [], []

    def _known(self, folded: str) -> Callable[[str], bool]:
        """Whether a form is a word of the data, or part of a synonym the question uses."""
        used = [w for w in self.synonyms if w in folded]
        return lambda form: form in self.postings or any(form in w for w in used)

    def _fuzzy(self, folded: str, reading: str) -> dict[int, float]:
        """Dice similarity of the question's bigrams with each name, spelling or reading."""
        best: dict[int, float] = {}
        for variant in {folded.replace(" ", ""), reading}:
            q = set(bigrams(variant))
            if not q:
                continue
            overlap: dict[tuple[int, int], int] = defaultdict(int)
            for g in q:
                for doc, size in self.name_grams.get(g, ()):
                    overlap[(doc, size)] += 1
            for (doc, size), common in overlap.items():
                dice = 2 * common / (len(q) + size)
                if dice >= FUZZY_MIN and dice > best.get(doc, 0):
                    best[doc] = dice
        return best


def _fill(facets: Facets, remembered: Facets) -> tuple[Facets, tuple[str, ...]]:
    """The question's facets with the remembered stage and area where it names none."""
    used = []
    stages, area = facets.stages, facets.area
    if facets.months is None and not stages and remembered.stages:
        stages, used = remembered.stages, ["age"]
    if not area and remembered.area:
        area = remembered.area
        used.append("area")
    if not used:
        return facets, ()
    return replace(facets, stages=stages, area=area), tuple(used)


def _doc(entry: Entry) -> _Doc:
    weekdays = frozenset(d for r in entry.rules for d in rule_weekdays(r)) if entry.rules else None
    return _Doc(entry, weekdays, frozenset(entry.stages), entry.area_id)


def _specificity(doc: _Doc, facets: Facets) -> int:
    """How many of the facets an entry names itself (a salon for 0-year-olds in 北地区 on
    Mondays) rather than merely allows (open to all ages, city-wide): among equal scores, what
    is meant for the family comes first."""
    return (
        bool(doc.stages & facets.stages)
        + bool(facets.area and doc.area == facets.area)
        + bool(doc.weekdays and doc.weekdays & facets.weekdays)
    )


def _passes(doc: _Doc, facet: str, facets: Facets) -> bool:
    e = doc.entry
    if facet == "area":  # no area, or a procedure (at the city hall): serves the whole city
        return doc.area is None or doc.area == facets.area or (e.kind == "service" and not e.area)
    if facet == "weekday":
        return doc.weekdays is None or bool(doc.weekdays & facets.weekdays)
    if facets.months is not None and (e.min_age_months is not None or e.max_age_months is not None):
        low = e.min_age_months if e.min_age_months is not None else -12
        high = e.max_age_months if e.max_age_months is not None else 10**6
        return low <= facets.months <= high
    return not doc.stages or bool(doc.stages & facets.stages)


def _fields(entry: Entry, city: City | None) -> dict[str, list[str]]:
    area = city.area(entry.area_id) if city else None
    place, org = entry.place, entry.organization
    return {
        "name": [entry.name],
        "kana": [entry.kana],
        "keywords": [*entry.keywords, *entry.category_labels, entry.kind_label],
        "summary": [entry.summary],
        "where": [
            place.name if place else "",
            org.name if org else "",
            area.name if area else "",
        ],
        "description": [entry.description, entry.notes, entry.fee],  # 無料, 1回500円
        "gram": [entry.name, entry.kana, *entry.keywords],
    }


def _grams(text: str, reading: str) -> list[str]:
    """Bigrams of the folded spelling and of the reading, marked so they never meet words."""
    spelled = slip_fold(fold(text).replace(" ", ""))
    grams = (*bigrams(spelled), *bigrams(slip_fold(reading)))
    return sorted({f"#{g}" for g in grams if len(g) == 2})
