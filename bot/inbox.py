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


def _lock_source(session: Session, key: str) -> bool:
    """Take the source's lock for this transaction, or say it is busy (PostgreSQL)."""
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite: BEGIN IMMEDIATE already holds the only write lock
    # The lock space is the whole server's: the key names this database and schema too, so two
    # deployments (or test runs) sharing a server never hold each other's users.
    return bool(session.scalar(LOCK_SOURCE, {"k": key}))


LOCK_SOURCE = text(
    "SELECT pg_try_advisory_xact_lock("
    "hashtext(current_database() || '/' || current_schema() || '/' || :k))"
)

Handler = Callable[[Session, dict, int], None]


def process_next(db: Database, handle: Handler) -> bool:
    """Handle the oldest pending event of some source not being handled now; False when idle."""
    # Look first without taking SQLite's write lock: an idle poll must not hold up the webhook.
    with db.reading() as session:
        keys = session.scalars(
            select(InboxEvent.source_key)
            .where(InboxEvent.status == "pending")
            .group_by(InboxEvent.source_key)
            .order_by(func.min(InboxEvent.id))
            .limit(16)
        ).all()
    if not keys:
        return False
    with db.transaction() as session:
        for key in keys:
            if not _lock_source(session, key):
                continue
            event = session.scalars(
                select(InboxEvent)
                .where(InboxEvent.source_key == key, InboxEvent.status == "pending")
                .order_by(InboxEvent.event_ts, InboxEvent.id)
                .limit(1)
            ).first()
            if event is not None:
                _handle_one(session, event, handle)
                return True
    return False


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
