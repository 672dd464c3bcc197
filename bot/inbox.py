"""The inbox: webhook events stored once, then handled one source at a time, in order.

Storing them (``bot.ingest``) is all the webhook does before it answers LINE. Handling happens
apart (a thread in each process, or a worker): a source (one user, group or room) has at most
one event claimed at a time, its oldest pending one, so one user's events are never handled
concurrently and always in the order LINE stamped them (``process_batch``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, select, update
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
# How long a claim holds a source. Only a worker that died mid-batch makes anyone wait for it:
# a batch takes well under a second, and gives its claims back when it fails.
LEASE = timedelta(seconds=15)


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


Handler = Callable[[Session, dict, int], None]
# Called with a batch's events (id -> payload) after they are claimed and before the write
# transaction that handles them: the CPU work that needs no lock (bot.handlers.prepared).
Preparer = Callable[[dict[int, dict]], None]
# Called as the write transaction begins, with the events still ours (reads them in bulk).
Preloader = Callable[[Session, list[dict]], None]


@dataclass(frozen=True)
class Claim:
    """Events claimed for the next batch by this one's transaction, and their lease."""

    ids: list[int]
    lease: datetime


class Batch(int):
    """How many events a batch handled (an int), and how many were pending when it looked."""

    pending: int = 0
    next: Claim | None = None  # with ``follow``: the next batch, claimed already

    @classmethod
    def of(cls, handled: int, pending: int) -> Batch:
        batch = cls(handled)
        batch.pending = pending
        return batch


def process_next(db: Database, handle: Handler) -> bool:
    """Handle the oldest pending event of some source not being handled now; False when idle."""
    return process_batch(db, handle, limit=1) > 0


def process_batch(
    db: Database,
    handle: Handler,
    limit: int = BATCH,
    budget: float = BATCH_SECONDS,
    prepare: Preparer | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    preload: Preloader | None = None,
    follow: bool = False,
    claimed: Claim | None = None,
) -> Batch:
    """Handle the oldest pending event of up to ``limit`` sources: claim, prepare, handle.

    1. **Claim** (a short write transaction): the oldest pending event of each source that has
       no event claimed already is marked ``claimed`` under a lease, its attempt counted. Only
       one claim per source at a time: a user's events are never handled at once, and in order.
    2. **Prepare** (no transaction, no lock): the payloads are read and decrypted and
       ``prepare`` does the CPU work that needs no lock (the danger check). On
       SQLite the write lock was held through all of it, and one worker's handling held up
       the other worker, the webhook's stores and the sender (docs/benchmarks.md).
    3. **Handle** (one write transaction): the claims still ours are handled, each in its own
       savepoint (one that fails is set aside alone), and marked done in one statement. The
       batch stops early once ``budget`` seconds are spent; the rest go back to pending.

    With ``follow``, step 3's transaction also claims the next batch (``Batch.next``, handed
    back as ``claimed``): one write transaction per batch, not two — on a busy machine each
    turn at SQLite's write lock costs a wait. The caller gives back a claim it will not use
    (``release``).

    A worker that dies holding claims loses them when the lease runs out (``LEASE``, by the
    clock ``now``); a worker whose lease ran out while it worked handles nothing of it
    (checked as step 3 begins).
    """
    # Look first without taking SQLite's write lock: an idle poll must not hold up the webhook.
    with db.reading() as session:
        rows = session.execute(
            select(InboxEvent.source_key)
            .where(InboxEvent.status.in_(("pending", "claimed")))
            .order_by(InboxEvent.id)
            .limit(LOOK_AHEAD)
        ).all()
    keys = list(dict.fromkeys(key for (key,) in rows))
    # No more than the budget is likely to handle: a claim given back wastes its preparing.
    size = min(limit, max(1, int(budget / _pace.per_event))) if _pace.per_event > 0 else limit
    if claimed is None or not claimed.ids:
        if not keys:
            return Batch.of(0, 0)
        claimed_at = now()
        claimed = Claim(_claim(db, keys, size, claimed_at, claimed_at + LEASE), claimed_at + LEASE)
        if not claimed.ids:
            return Batch.of(0, len(rows))
    following = (keys, size, now) if follow and keys else None
    lease, claimed_ids = claimed.lease, claimed.ids
    try:
        with db.reading() as session:
            payloads = dict(
                session.execute(
                    select(InboxEvent.id, InboxEvent.payload).where(InboxEvent.id.in_(claimed_ids))
                ).all()
            )
        if prepare is not None:
            prepare({i: payloads.get(i) or {} for i in claimed_ids})
        handled, after = _handle_claimed(
            db, claimed_ids, payloads, lease, handle, budget, preload, following
        )
    except BaseException:
        release(db, claimed)  # someone else may take them at once, not after the lease
        raise
    batch = Batch.of(handled, len(rows))
    batch.next = after
    return batch


def _claim(db: Database, keys: list[str], limit: int, now: datetime, lease: datetime) -> list[int]:
    """Claim the oldest pending event of each free source; their ids, oldest first."""
    with db.transaction() as session:
        return _claim_in(session, keys, limit, now, lease)


def _claim_in(
    session: Session, keys: list[str], limit: int, now: datetime, lease: datetime
) -> list[int]:
    # A dead worker's claims: pending again once their lease is over.
    session.execute(_EXPIRED, {"now": now})
    ids = session.scalars(_FIRSTS, {"keys": keys, "limit": limit}).all()
    if not ids:
        return []
    return sorted(session.scalars(_TAKE, {"ids": ids, "lease": lease}).all())


# The claim's statements, built once and bound by name. Built per batch, their lists of up to
# LOOK_AHEAD source keys were coerced and keyed for the statement cache one element at a time
# (a few per cent of handling a question). On the table, not the entity: no ORM object of these
# rows is read in a claim's transaction after it.
_T = InboxEvent.__table__
_KEYS = bindparam("keys", expanding=True)
_EXPIRED = (
    update(_T)
    .where(
        _T.c.status == "claimed", _T.c.lease_until < bindparam("now", type_=_T.c.lease_until.type)
    )
    .values(status="pending", lease_until=None)
)
# One statement, so one snapshot: a source with a claimed event is seen as busy in the same view
# in which its events are seen pending (on PostgreSQL another worker may claim between two
# statements; _TAKE takes only rows still pending).
_busy = select(_T.c.source_key).where(_T.c.status == "claimed", _T.c.source_key.in_(_KEYS))
_first = (
    select(
        _T.c.id,
        func.row_number()
        .over(partition_by=_T.c.source_key, order_by=(_T.c.event_ts, _T.c.id))
        .label("n"),
    )
    .where(_T.c.status == "pending", _T.c.source_key.in_(_KEYS), _T.c.source_key.not_in(_busy))
    .subquery()
)
_FIRSTS = select(_first.c.id).where(_first.c.n == 1).order_by(_first.c.id).limit(bindparam("limit"))
_TAKE = (
    update(_T)
    .where(_T.c.id.in_(bindparam("ids", expanding=True)), _T.c.status == "pending")
    .values(
        status="claimed",
        lease_until=bindparam("lease", type_=_T.c.lease_until.type),
        attempts=_T.c.attempts + 1,
    )
    .returning(_T.c.id)
)


def _mine(lease: datetime):
    return (InboxEvent.status == "claimed", InboxEvent.lease_until == lease)


def _handle_claimed(
    db: Database,
    claimed: list[int],
    payloads: dict[int, dict | None],
    lease: datetime,
    handle: Handler,
    budget: float,
    preload: Preloader | None = None,
    following: tuple[list[str], int, Callable[[], datetime]] | None = None,
) -> tuple[int, Claim | None]:
    started = time.monotonic()
    with db.transaction() as session:
        # Still ours? (PostgreSQL: the rows stay locked until this commits.)
        ours = set(
            session.scalars(
                update(InboxEvent)
                .where(InboxEvent.id.in_(claimed), *_mine(lease))
                .values(lease_until=lease)
                .returning(InboxEvent.id)
            )
        )
        began = time.monotonic()
        done: list[int] = []
        tried = 0  # handled, or failed and set aside
        left = [i for i in claimed if i in ours]
        if preload is not None and left:
            preload(session, [payloads.get(i) or {} for i in left])
        while left:
            event_id = left.pop(0)
            tried += 1
            if _handle_one(session, event_id, payloads.get(event_id) or {}, handle):
                done.append(event_id)
            if time.monotonic() - started > budget:
                break
        if done:
            session.execute(
                update(InboxEvent)
                .where(InboxEvent.id.in_(done))
                # handled: keep no copy of what was said
                .values(
                    status="done", payload=None, lease_until=None, processed_at=datetime.now(UTC)
                )
            )
        if left:  # over the budget
            _give_back(session, left)
        _pace.note((time.monotonic() - began) / max(tried, 1))
        after = None
        if following is not None:  # the next batch, in this same turn at the write lock
            keys, size, now = following
            claimed_at = now()
            ids = _claim_in(session, keys, size, claimed_at, claimed_at + LEASE)
            after = Claim(ids, claimed_at + LEASE) if ids else None
    return tried, after


class _Pace:
    """Seconds one event takes inside the write transaction, lately (a moving average)."""

    per_event = 0.0

    def note(self, seconds: float) -> None:
        self.per_event = seconds if self.per_event == 0 else 0.8 * self.per_event + 0.2 * seconds


_pace = _Pace()


def release(db: Database, claim: Claim | None) -> None:
    """Give back claims that will not be handled (pending again, the attempt not counted)."""
    if claim is None or not claim.ids:
        return
    try:
        with db.transaction() as session:
            _give_back(session, claim.ids, *_mine(claim.lease))
    except Exception:  # the database is away: the lease runs out instead
        log.warning(
            "could not give back %d claimed events; their lease will run out", len(claim.ids)
        )


def _give_back(session: Session, ids: list[int], *still) -> None:
    """Claimed events back to pending, their attempt not counted (``still``: only if ours)."""
    session.execute(
        update(InboxEvent)
        .where(InboxEvent.id.in_(ids), *still)
        .values(status="pending", lease_until=None, attempts=InboxEvent.attempts - 1)
    )


def _handle_one(session: Session, event_id: int, payload: dict, handle: Handler) -> bool:
    """Handle one event in a savepoint; True when it was handled, False when it failed."""
    try:
        with session.begin_nested():
            handle(session, payload, event_id)
        return True
    except Exception as exc:  # a broken event is logged and set aside, never crashes the loop
        # The traceback's frames only: an exception's message might quote what the user wrote.
        # Our own frames say where it broke; the library's below them say little more.
        frames = "".join(
            traceback.format_list(
                [f for f in traceback.extract_tb(exc.__traceback__) if "/bot/" in f.filename][-4:]
            )
        )
        event = session.get(InboxEvent, event_id)
        log.error(
            "event %s (%s) failed, attempt %d: %s\n%s",
            event_id,
            event.event_type,
            event.attempts,
            type(exc).__name__,
            frames,
        )
        event.error = type(exc).__name__[:200]
        event.lease_until = None
        # Tried too often: set aside, so the user's later events are not held up behind it.
        event.status = "failed" if event.attempts >= MAX_ATTEMPTS else "pending"
        if event.status == "failed":
            event.processed_at = datetime.now(UTC)
        return False
