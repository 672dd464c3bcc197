"""What a batch's handling will ask, worked out before its write transaction.

The danger check of each text is CPU work that needs no lock. ``bot.inbox.process_batch``
claims a batch, has it prepared here (``prepare_batch``, outside any transaction), then handles
it in one write transaction; the turn asks ``Prepared`` and finds the answers ready. On SQLite
that work no longer holds the one write lock that the webhook, the sender and the other workers
wait for.

Nothing here decides anything: an answer is taken only for the very same text, and anything
not prepared is worked out when asked. So handling says the same, prepared or not.
"""

from __future__ import annotations

from bot.safety import Assessment, assess


class Prepared:
    """Answers worked out ahead for one batch (empty: everything is worked out when asked)."""

    def __init__(self) -> None:
        self._danger: dict[str, Assessment | None] = {}

    def danger(self, text: str) -> Assessment | None:
        """``bot.safety.assess(text)``, worked out once per text in the batch.

        ``prepare_batch`` asks it before the write transaction, so the turn finds it ready.
        """
        if text not in self._danger:
            self._danger[text] = assess(text)
        return self._danger[text]
