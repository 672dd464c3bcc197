"""Handling a batch in three steps (bot.inbox.process_batch): claim, prepare, handle.

The CPU work of a batch happens with no write transaction open; the batch is then written in
one; a user's events are still handled once each, in order, never two at once, by workers that
race; a dead worker's claims are taken over once their lease is over, and a worker whose lease
ran out handles nothing of it.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from bot import inbox
from bot.ingest import Ingest
from bot.simulator.page import make_event
from bot.storage.crypto import new_key, use_keys
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.models import InboxEvent


@pytest.fixture
def db(database_url, monkeypatch):
    # How long events took in earlier tests must not size these batches.
    monkeypatch.setattr(inbox, "_pace", inbox._Pace())
    use_keys(new_key())
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


def store(db: Database, users: list[str], per_user: int) -> None:
    ingest = Ingest(db)
    base = int(time.time() * 1000)
    for i in range(per_user):
        for u, user in enumerate(users):
            message = {"type": "text", "id": f"{u}-{i}", "text": f"{user} {i}"}
            ev = make_event(user, "message", None, message=message)
            ev["timestamp"] = base + i * 10 + u
            ingest.store([ev])


def statuses(db: Database) -> dict[str, int]:
    with db.reading() as session:
        counts: dict[str, int] = defaultdict(int)
        for status in session.scalars(select(InboxEvent.status)):
            counts[status] += 1
        return dict(counts)


def test_a_batch_is_prepared_with_no_transaction_open_and_written_in_one(db):
    store(db, [f"U{i:032d}" for i in range(5)], 1)
    commits = []
    event.listen(db.engine, "commit", lambda conn: commits.append(1))
    seen_while_preparing = {}

    def prepare(events):
        # Nothing of ours is being written: another writer gets the database at once.
        other = Database(db.url)
        try:
            if other.is_sqlite:
                other.gate.TIMEOUT = 0.5
            with other.transaction() as session:
                session.execute(select(InboxEvent.id).limit(1))
            seen_while_preparing["statuses"] = statuses(other)
        finally:
            other.dispose()
        seen_while_preparing["texts"] = sorted(e["message"]["text"] for e in events.values())

    handled = []
    before = len(commits)
    # (a budget a loaded machine cannot run over: the batch is what is looked at here)
    n = inbox.process_batch(db, lambda s, e, i: handled.append(i), budget=30, prepare=prepare)
    assert n == 5 and len(handled) == 5
    assert seen_while_preparing["statuses"] == {"claimed": 5}
    assert len(seen_while_preparing["texts"]) == 5
    # One commit claims, one writes the batch (the other Database's commit is not counted).
    assert len(commits) - before == 2
    assert statuses(db) == {"done": 5}


def test_racing_workers_answer_each_event_once_in_order(db):
    users = [f"U{c * 32}" for c in "abcd"]
    store(db, users, 8)
    log: list[tuple[str, str, str]] = []
    lock = threading.Lock()

    def handle(session, payload, event_id):
        who, text = payload["source"]["userId"], payload["message"]["text"]
        with lock:
            log.append((who, "start", text))
        time.sleep(0.005)  # long enough for another worker to try the same user
        with lock:
            log.append((who, "end", text))

    # Four workers, each with its own engine and pool, as four processes would have.
    workers = [Database(db.url) for _ in range(4)]

    def work(worker: Database) -> int:
        total = 0
        for _ in range(200):
            n = inbox.process_batch(worker, handle, limit=3)
            total += n
            if not n and statuses(worker).keys() <= {"done"}:
                break
        return total

    try:
        with ThreadPoolExecutor(4) as pool:
            handled = sum(pool.map(work, workers))
    finally:
        for worker in workers:
            worker.dispose()
    assert handled == 32
    assert statuses(db) == {"done": 32}
    for user in users:
        mine = [(kind, text) for who, kind, text in log if who == user]
        assert all(  # never two at once: each start is followed by its own end
            mine[i][0] == "start" and mine[i + 1] == ("end", mine[i][1])
            for i in range(0, len(mine), 2)
        )
        assert [t for k, t in mine if k == "start"] == [f"{user} {i}" for i in range(8)]


def test_a_dead_workers_claims_are_taken_over_once_their_lease_is_over(db):
    user = "U" + "d" * 32
    store(db, [user], 2)
    now = datetime.now(UTC)
    # A worker claims the user's first event, then dies.
    assert len(inbox._claim(db, [f"user:{user}"], 5, now, now + inbox.LEASE)) == 1
    handled = []

    def handle(session, payload, event_id):
        handled.append(payload["message"]["text"])

    # While its lease lasts, nobody handles that user: not the claimed event, not the next.
    assert inbox.process_batch(db, handle, now=lambda: now + timedelta(seconds=1)) == 0
    later = now + inbox.LEASE + timedelta(seconds=1)
    assert inbox.process_batch(db, handle, now=lambda: later) == 1
    assert inbox.process_batch(db, handle, now=lambda: later) == 1
    assert handled == [f"{user} 0", f"{user} 1"]
    with db.reading() as session:
        assert session.scalars(select(InboxEvent.attempts)).all() == [2, 1]


def test_a_worker_whose_lease_ran_out_handles_nothing_of_it(db):
    user = "U" + "e" * 32
    store(db, [user], 1)
    now = datetime.now(UTC)
    slow = inbox._claim(db, [f"user:{user}"], 5, now, now + inbox.LEASE)
    later = now + inbox.LEASE + timedelta(seconds=1)
    taken = inbox._claim(db, [f"user:{user}"], 5, later, later + inbox.LEASE)
    assert taken == slow  # the lease was over: another worker has it now
    handled = []
    stale, _ = inbox._handle_claimed(
        db, slow, {}, now + inbox.LEASE, lambda s, e, i: handled.append(i), 1.0
    )
    assert (stale, handled) == (0, [])
    assert statuses(db) == {"claimed": 1}
    fresh, _ = inbox._handle_claimed(
        db, taken, {}, later + inbox.LEASE, lambda s, e, i: handled.append(i), 1.0
    )
    assert (fresh, handled) == (1, taken)
    assert statuses(db) == {"done": 1}


def test_claims_are_given_back_when_the_batch_fails(db):
    store(db, ["U" + "f" * 32], 1)

    def prepare(events):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        inbox.process_batch(db, lambda s, e, i: None, prepare=prepare)
    assert statuses(db) == {"pending": 1}  # at once, not after the lease
    with db.reading() as session:
        assert session.scalars(select(InboxEvent.attempts)).all() == [0]
    assert inbox.process_batch(db, lambda s, e, i: None) == 1
