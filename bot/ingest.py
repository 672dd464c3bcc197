"""Storing webhook events fast: group commit, and handling that yields to a burst.

The webhook must answer LINE within 2 s, whatever else the process is doing. Two things keep
it fast under load:

* **Group commit.** Request threads hand their events to one writer thread per process, which
  stores everything waiting in a single transaction and then releases every waiting request.
  One short write per batch instead of one per request is what lets SQLite's single write lock
  keep up, and it costs PostgreSQL nothing.
* **Ingest first.** Handling (Sudachi, search, dialogs) is CPU work that competes with the
  request threads for the interpreter and, on SQLite, for the write lock. While events arrive
  faster than ``BUSY_RATE`` a second, or while ``CROWDED_STORES`` requests of this process wait
  to be stored at once, handling waits (for at most ``MAX_DEFERRAL`` at a time), and catches up
  as soon as the burst is over. At a city's everyday load it never waits.

  The rate alone was not enough: handling slows storing, so a flood measured by what was
  stored looked like a quiet moment as soon as handling ran, and handling then kept running
  (webhook 75 acked/s instead of 1,300 in one run). Requests waiting to be stored are the
  demand itself, and they grow, not shrink, while handling holds them up.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from contextlib import nullcontext
from dataclasses import dataclass, field

from sqlalchemy import select

from bot.inbox import event_row
from bot.storage.db import Database
from bot.storage.models import InboxEvent

log = logging.getLogger(__name__)

BATCH_MAX = 500  # events per transaction at most
# The inbox's columns a stored event fills (``bot.inbox.event_row``), in the insert's order.
COLUMNS = (
    "webhook_event_id",
    "source_key",
    "event_type",
    "event_ts",
    "is_redelivery",
    "payload",
    "status",
    "attempts",
    "received_at",
)
# Events a second above which handling waits for the burst to pass. Not lower: at 50 a second
# (a busy day) handling kept stepping aside for up to MAX_DEFERRAL and answers took 2 s, while
# storing used little of the machine (docs/benchmarks.md, the quiet re-check).
BUSY_RATE = 150.0
MAX_DEFERRAL = 5.0  # seconds handling may wait before it handles one batch regardless
RATE_WINDOW = 0.5  # seconds of arrivals the rate is measured over
# Requests of one process waiting to be stored at once that mean a flood (everyday: 0 or 1; a
# flood fills every request thread, 8 per worker) …
CROWDED_STORES = 6
CROWDED_FOR = 0.2  # … counted as one for this long after the last time it was seen


class StoreFailed(Exception):
    """The events could not be stored in time; the webhook answers 503 so LINE redelivers."""


@dataclass
class _Waiting:
    rows: list[dict]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class Ingest:
    """One writer per process: ``store`` blocks until the caller's events are committed."""

    def __init__(self, db: Database):
        self.db = db
        self._queue: queue.Queue[_Waiting] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._arrivals: deque[tuple[float, int]] = deque()
        self._arrivals_lock = threading.Lock()
        self._storing = 0  # requests waiting for their events to be committed
        self._crowded_at = float("-inf")
        self._conn = None  # the writer thread's own connection (a DBAPI one, from the pool)
        # never given back while the process lives: closed when the database is disposed (a
        # test's app, a CLI run), or every app would keep one server connection open for good
        db.on_dispose(self.close)
        mark = "?" if db.is_sqlite else "%s"
        self._sql = (
            f"INSERT INTO inbox_events ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(COLUMNS))}) "
            "ON CONFLICT (webhook_event_id) DO NOTHING"
        )
        # Each column's bind processing, as SQLAlchemy's own execute would apply it (None: as is)
        dialect = db.engine.dialect
        table = InboxEvent.__table__
        self._binds = [
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in COLUMNS
        ]

    def store(self, events: list, timeout: float = 1.8) -> int:
        """Store each event once (by webhookEventId); return how many were given."""
        rows = []
        for event in events:
            if not isinstance(event, dict):
                log.warning("webhook body held a non-object event; skipped")
                continue
            rows.append(event_row(event))
        if not rows:
            return 0
        self._note_arrivals(len(rows))
        with self._arrivals_lock:  # waiting to be stored until the writer answers
            self._storing += 1
            if self._storing >= CROWDED_STORES:
                self._crowded_at = time.monotonic()
        try:
            self._ensure_writer()
            waiting = _Waiting(rows)
            self._queue.put(waiting)
            done = waiting.done.wait(timeout)
        finally:
            with self._arrivals_lock:
                self._storing -= 1
        if not done:
            raise StoreFailed("the database did not take the events in time")
        if waiting.error is not None:
            raise StoreFailed(type(waiting.error).__name__) from waiting.error
        return len(rows)

    # ------------------------------------------------------------ the writer

    def _ensure_writer(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._write_forever, daemon=True, name="tsunagu-ingest"
                )
                self._thread.start()

    def _write_forever(self) -> None:
        while True:
            batch = [self._queue.get()]
            count = len(batch[0].rows)
            while count < BATCH_MAX:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
                count += len(batch[-1].rows)
            self._write(batch)

    def _write(self, batch: list[_Waiting]) -> None:
        rows = [row for waiting in batch for row in waiting.rows]
        try:
            self._insert(rows)
        except Exception as exc:  # every waiting request answers 503; LINE redelivers
            log.error("could not store %d events: %s", len(rows), type(exc).__name__)
            for waiting in batch:
                waiting.error = exc
        for waiting in batch:
            waiting.done.set()

    def _insert(self, rows: list[dict]) -> None:
        """One transaction on the writer's own connection, the rows as the driver takes them.

        Not through SQLAlchemy's execute: its checkout, compile and type processing per batch
        were half of what storing cost (0.76 -> 0.40 ms per batch of 4 on SQLite, 1.1 -> 0.65 on
        PostgreSQL, docs/benchmarks.md), and this is the webhook's hot path. A connection that
        broke (a restarted server) is replaced and the batch tried once more: the insert skips
        what is stored already, so a second try stores nothing twice.
        """
        params = [self._params(row) for row in rows]
        for last_try in (False, True):
            conn = self._connection()
            try:
                with self.db.gate.held() if self.db.gate else nullcontext():
                    cursor = conn.cursor()
                    try:
                        if self.db.is_sqlite:
                            cursor.execute("BEGIN IMMEDIATE")
                        cursor.executemany(self._sql, params)
                        conn.commit()
                    finally:
                        cursor.close()
                return
            except Exception as exc:
                broken = self._is_disconnect(exc, conn)
                self._drop_connection(rollback=not broken)
                if last_try or not broken:
                    raise

    def close(self) -> None:
        """Give the writer's connection back (the next batch, if any, opens another)."""
        self._drop_connection(rollback=True)

    def _is_disconnect(self, exc: Exception, conn) -> bool:
        try:
            return self.db.engine.dialect.is_disconnect(exc, conn.dbapi_connection, None)
        except Exception:  # not a driver's error (the write gate's timeout, say)
            return False

    def _connection(self):
        if self._conn is None:
            self._conn = self.db.engine.raw_connection()
        return self._conn

    def _drop_connection(self, rollback: bool) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if rollback:
                conn.rollback()
            else:
                conn.invalidate()
            conn.close()
        except Exception:  # already broken: the pool forgets it
            log.debug("writer connection closed after an error", exc_info=True)

    def _params(self, row: dict) -> tuple:
        """A row as the columns' own types bind it (encrypted payload, UTC timestamp)."""
        return tuple(
            bind(row[name]) if bind else row[name]
            for name, bind in zip(COLUMNS, self._binds, strict=True)
        )

    # ------------------------------------------------------------ is a burst on?

    def _note_arrivals(self, n: int) -> None:
        now = time.monotonic()
        with self._arrivals_lock:
            self._arrivals.append((now, n))
            # Pruned here too: while requests crowd, nobody asks for the rate (local_rate).
            self._forget_before(now)

    def crowded(self) -> bool:
        """Many of this process's requests were waiting to be stored at once, just now."""
        return time.monotonic() - self._crowded_at < CROWDED_FOR

    def local_rate(self) -> float:
        """Events a second this process received over the last RATE_WINDOW."""
        now = time.monotonic()
        with self._arrivals_lock:
            self._forget_before(now)
            return sum(n for _, n in self._arrivals) / RATE_WINDOW

    def _forget_before(self, now: float) -> None:
        """Drop arrivals older than the rate window (the caller holds the arrivals lock)."""
        while self._arrivals and now - self._arrivals[0][0] > RATE_WINDOW:
            self._arrivals.popleft()


class BurstWatch:
    """Tells handling to wait while events pour in — into any process, via the inbox's ids."""

    def __init__(self, db: Database, ingest: Ingest):
        self.db = db
        self.ingest = ingest
        self._samples: deque[tuple[float, int]] = deque()
        self._waiting_since: float | None = None

    def _latest_id(self) -> int:
        with self.db.reading() as session:
            return (
                session.scalar(select(InboxEvent.id).order_by(InboxEvent.id.desc()).limit(1)) or 0
            )

    def rate(self) -> float:
        now = time.monotonic()
        self._samples.append((now, self._latest_id()))
        while len(self._samples) > 2 and now - self._samples[0][0] > RATE_WINDOW:
            self._samples.popleft()
        (t0, id0), (t1, id1) = self._samples[0], self._samples[-1]
        # Ids are handed out in order on both databases; their growth is the arrival rate.
        overall = (id1 - id0) / (t1 - t0) if t1 > t0 else 0.0
        return max(overall, self.ingest.local_rate())

    def should_wait(self) -> bool:
        if not self.ingest.crowded() and self.rate() < BUSY_RATE:
            self._waiting_since = None
            return False
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        if now - self._waiting_since >= MAX_DEFERRAL:
            self._waiting_since = now  # handle one now, so a long burst never starves anyone
            return False
        return True
