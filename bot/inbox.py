"""The inbox: webhook events stored once, then handled one source at a time, in order.

Storing them (``bot.ingest``) is all the webhook does before it answers LINE. Handling happens
apart (a thread in each process, or a worker): a source (one user, group or room) is locked while
its oldest pending event is handled — an advisory lock on PostgreSQL, the database write lock on
SQLite — so one user's events are never handled concurrently and always in the order LINE stamped
them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.storage.db import Database
from bot.storage.models import InboxEvent

log = logging.getLogger(__name__)

# A handler that keeps failing is tried this many times, then set aside so the user's later
# events are not held up behind it.
MAX_ATTEMPTS = 3
# Events handled in one transaction at most, and the handling time after which a batch stops.
BATCH = 32
BATCH_SECONDS = 0.1
LOOK_AHEAD = 256  # pending events looked at to find the sources of a batch


def source_key(event: dict) -> str:
    source = event.get("source") or {}
    kind = source.get("type", "unknown")
    ident = source.get("userId") if kind == "user" else source.get(f"{kind}Id")
    return f"{kind}:{ident or '-'}"


def event_row(event: dict) -> dict:
    event_id = event.get("webhookEventId")
    if not isinstance(event_id, str) or not event_id:
        # Every current event has one; for any that does not, its content is its identity.
        canonical = json.dumps(event, sort_keys=True, ensure_ascii=False).encode()
        event_id = "sha256:" + hashlib.sha256(canonical).hexdigest()[:56]
    ts = event.get("timestamp")
    return {
        "webhook_event_id": event_id[:64],
        "source_key": source_key(event)[:80],
        "event_type": str(event.get("type", "unknown"))[:32],
        "event_ts": ts if isinstance(ts, int) else 0,
        "is_redelivery": bool((event.get("deliveryContext") or {}).get("isRedelivery")),
        "payload": event,
        "status": "pending",
        "attempts": 0,
        "received_at": datetime.now(UTC),
    }


# The first :n sources (in the order given) whose lock for this transaction is free: PostgreSQL
# (on SQLite BEGIN IMMEDIATE already holds the only write lock). The lock space is the whole
# server's: the key names this database and schema too, so two deployments (or test runs)
# sharing a server never hold each other's users.
LOCK_SOURCES = text(
    "SELECT k FROM unnest(CAST(:keys AS text[])) AS k WHERE pg_try_advisory_xact_lock("
    "hashtext(current_database() || '/' || current_schema() || '/' || k)) LIMIT :n"
)

Handler = Callable[[Session, dict, int], None]


class Batch(int):
    """How many events a batch handled (an int), and how many were pending when it looked."""

    pending: int = 0

    @classmethod
    def of(cls, handled: int, pending: int) -> Batch:
        batch = cls(handled)
        batch.pending = pending
        return batch


def process_next(db: Database, handle: Handler) -> bool:
    """Handle the oldest pending event of some source not being handled now; False when idle."""
    return process_batch(db, handle, limit=1) > 0


def process_batch(
    db: Database, handle: Handler, limit: int = BATCH, budget: float = BATCH_SECONDS
) -> Batch:
    """Handle the oldest pending event of up to ``limit`` sources, in ONE transaction.

    One look for work, one lock (SQLite's write lock, or one advisory lock per source on
    PostgreSQL) and one commit for the batch, instead of one of each per event. Each event still
    runs in its own savepoint, so one that fails is set aside alone. A source appears at most
    once per batch (its next event waits for the next batch: order is kept even when one fails).
    The batch stops early once ``budget`` seconds of handling are spent, so SQLite's write lock
    is never held for long while the webhook waits to store. Returns how many were handled.
    """
    # Look first without taking SQLite's write lock: an idle poll must not hold up the webhook.
    with db.reading() as session:
        rows = session.execute(
            select(InboxEvent.source_key)
            .where(InboxEvent.status == "pending")
            .order_by(InboxEvent.id)
            .limit(LOOK_AHEAD)
        ).all()
    keys = list(dict.fromkeys(key for (key,) in rows))
    if not keys:
        return Batch.of(0, 0)
    handled = 0
    started = time.monotonic()
    with db.transaction() as session:
        for event in _claim(session, keys, limit):
            _handle_one(session, event, handle)
            handled += 1
            if time.monotonic() - started > budget:
                break
    return Batch.of(handled, len(rows))


def _claim(session: Session, keys: list[str], limit: int) -> list[InboxEvent]:
    """The oldest pending event of each source whose lock we got, oldest first."""
    if session.get_bind().dialect.name == "postgresql":
        locked = set(session.scalars(LOCK_SOURCES, {"keys": keys, "n": limit}).all())
        keys = [k for k in keys if k in locked]
    keys = keys[:limit]
    if not keys:
        return []
    first = (
        select(
            InboxEvent.id,
            func.row_number()
            .over(
                partition_by=InboxEvent.source_key,
                order_by=(InboxEvent.event_ts, InboxEvent.id),
            )
            .label("n"),
        )
        .where(InboxEvent.status == "pending", InboxEvent.source_key.in_(keys))
        .subquery()
    )
    ids = session.scalars(select(first.c.id).where(first.c.n == 1)).all()
    if not ids:
        return []
    return list(
        session.scalars(select(InboxEvent).where(InboxEvent.id.in_(ids)).order_by(InboxEvent.id))
    )


def _handle_one(session: Session, event: InboxEvent, handle: Handler) -> None:
    event.attempts += 1
    try:
        with session.begin_nested():
            handle(session, event.payload or {}, event.id)
    except Exception as exc:  # a broken event is logged and set aside, never crashes the loop
        # The traceback's frames only: an exception's message might quote what the user wrote.
        # Our own frames say where it broke; the library's below them say little more.
        frames = "".join(
            traceback.format_list(
                [f for f in traceback.extract_tb(exc.__traceback__) if "/bot/" in f.filename][-4:]
            )
        )
        log.error(
            "event %s (%s) failed, attempt %d: %s\n%s",
            event.id,
            event.event_type,
            event.attempts,
            type(exc).__name__,
            frames,
        )
        event.error = type(exc).__name__[:200]
        if event.attempts >= MAX_ATTEMPTS:
            event.status = "failed"
            event.processed_at = datetime.now(UTC)
        return
    event.status = "done"
    event.payload = None  # handled: keep no copy of what was said
    event.processed_at = datetime.now(UTC)
