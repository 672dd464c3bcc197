"""Background work in a web process: handling stored events and delivering the outbox.

Two daemon threads, woken at once when there is new work and polling otherwise (other processes
may have written it). ``python -m bot serve`` and each gunicorn worker start one runtime.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bot.flood import FloodGuard
from bot.handlers.events import handle_event
from bot.handlers.prepare import preload, prepare_batch
from bot.handlers.turn import Services
from bot.inbox import process_batch, release
from bot.ingest import BurstWatch
from bot.messaging.delivery import Deliverer
from bot.storage.db import Database

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
BURST_PAUSE = 0.05  # how long handling steps aside while a burst of events is being stored
BACKLOG = 64  # answers waiting to be sent above which handling waits for the sender …
MAX_CATCH_UP = 2.0  # … for at most this long at a time
CROWDED = 4  # questions pending at once from which the bot counts as busy (everyday: 1)


class Runtime:
    def __init__(
        self,
        db: Database,
        services: Services,
        deliverer: Deliverer,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        burst: BurstWatch | None = None,
    ):
        self.db = db
        self.services = services
        self.deliverer = deliverer
        self.now = now
        self.burst = burst
        # One sender's flood is set aside cheaply (bot.flood).
        limit = getattr(services.settings, "flood_limit", None)
        self.flood = FloodGuard(*limit) if limit else None
        self.events_waiting = threading.Event()
        self.outbox_waiting = threading.Event()
        self.outbox_sent = threading.Event()  # set after each batch the sender settles
        self.behind = False  # many answers wait to be sent (a flood)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._batch = threading.local()  # this thread's batch: what was prepared for it

    # ------------------------------------------------------------ one step each (tests call these)

    def prepare(self, events: dict[int, dict]) -> None:
        """Before a batch's write transaction: its danger checks (no lock held)."""
        self._batch.prepared = prepare_batch(self.db, events.values(), self.now())

    def handle(self, session: Session, event: dict, event_id: int) -> None:
        now = self.now()
        if self.flood is None or not self.flood.holds_back(session, event, now):
            handle_event(session, event, self.services, now, getattr(self._batch, "prepared", None))

    def process_events(self, yield_to_burst: bool = False) -> int:
        """Handle stored events until none is pending; return how many were handled.

        With ``yield_to_burst`` (the background loop) it stops while a burst of events is
        arriving, so that storing them — what LINE waits for — goes first.
        """
        count = 0
        following = None  # the next batch, claimed by the last one's transaction
        try:
            while True:
                if yield_to_burst and self.burst is not None and self.burst.should_wait():
                    time.sleep(BURST_PAUSE)
                    break
                try:
                    handled = process_batch(
                        self.db,
                        self.handle,
                        prepare=self.prepare,
                        now=self.now,
                        preload=preload,
                        follow=True,
                        claimed=following,
                    )
                finally:
                    self._batch.prepared = None
                following = handled.next
                if not handled and following is None:
                    break
                count += handled
                self.outbox_waiting.set()  # each batch's answers go out while the next is handled
                if yield_to_burst:
                    self._let_delivery_catch_up(crowded=handled.pending >= CROWDED)
        finally:
            release(self.db, following)  # claimed for a batch this loop will not handle now
        return count

    def _let_delivery_catch_up(self, crowded: bool) -> None:
        """Handling is faster than sending: while many answers wait to be sent, wait for the
        sender (threads share one interpreter; answers sitting in the outbox age their reply
        tokens, while questions waiting in the inbox cost nothing)."""
        deadline = time.monotonic() + MAX_CATCH_UP
        while (behind := self.deliverer.backlog(BACKLOG + 1) > BACKLOG) and (
            time.monotonic() < deadline
        ):
            self.behind = True
            if self._stop.is_set():
                return
            self.outbox_sent.clear()
            self.outbox_sent.wait(0.2)
        # Many questions at once, or answers waiting: every call to LINE should carry an
        # answer (the loading animation is left out).
        self.behind = behind or crowded

    def deliver(self) -> int:
        count = 0
        while (n := self.deliverer.deliver_due()) > 0:
            count += n
            self.outbox_sent.set()
        return count

    def drain(self) -> None:
        """Handle and deliver until nothing due is left (tests, and a clean shutdown)."""
        while self.process_events() + self.deliver():
            pass

    # ------------------------------------------------------------ threads

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        for name, step, wake in (
            (
                "events",
                functools.partial(self.process_events, yield_to_burst=True),
                self.events_waiting,
            ),
            ("outbox", self.deliver, self.outbox_waiting),
        ):
            thread = threading.Thread(
                target=self._loop, args=(step, wake), name=f"tsunagu-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.events_waiting.set()
        self.outbox_waiting.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _loop(self, step: Callable[[], int], wake: threading.Event) -> None:
        while not self._stop.is_set():
            wake.clear()
            try:
                step()
            except Exception:  # the database may be down for a moment; keep going
                log.exception("background step failed; retrying shortly")
                self._stop.wait(2.0)
            wake.wait(POLL_SECONDS)
