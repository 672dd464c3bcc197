"""What a batch's handling will ask, worked out before its write transaction.

The danger check of each text and the search a parent's question makes are CPU work that needs
no lock. ``bot.inbox.process_batch`` claims a batch, has it prepared here (``prepare_batch``,
outside any transaction), then handles it in one write transaction; the turn asks ``Prepared``
and finds the answers ready. On SQLite that work no longer holds the one write lock that the
webhook, the sender and the other workers wait for.

Nothing here decides anything: an answer is taken only for the very same question (the same
text; for a search the same day, limit and remembered stage and area), and anything not
prepared is worked out when asked. So handling says the same, prepared or not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.safety import Assessment, assess


class Prepared:
    """Answers worked out ahead for one batch (empty: everything is worked out when asked)."""

    def __init__(self) -> None:
        self._danger: dict[str, Assessment | None] = {}
        self._searches: dict[tuple, Any] = {}

    def danger(self, text: str) -> Assessment | None:
        """``bot.safety.assess(text)``."""
        if text in self._danger:
            return self._danger[text]
        return assess(text)

    def search(self, kb, text: str, today: date, limit: int, remembered) -> Any:
        """``kb.search(text, today, limit=limit, remembered=remembered)``."""
        found = self._searches.get(_key(text, today, limit, remembered))
        if found is not None:
            return found
        return kb.search(text, today, limit=limit, remembered=remembered)

    # ------------------------------------------------------------ filled before the batch

    def check(self, text: str) -> Assessment | None:
        if text not in self._danger:
            self._danger[text] = assess(text)
        return self._danger[text]

    def look_up(self, kb, text: str, today: date, limit: int, remembered) -> None:
        key = _key(text, today, limit, remembered)
        if key not in self._searches:
            self._searches[key] = kb.search(text, today, limit=limit, remembered=remembered)


def _key(text: str, today: date, limit: int, remembered) -> tuple:
    # Facets hold a dict (what the parent said): compared field by field
    facets = None
    if remembered is not None:
        facets = (
            remembered.months,
            remembered.stages,
            remembered.weekdays,
            remembered.area,
            tuple(sorted(remembered.labels.items())),
        )
    return (text, today, limit, facets)
