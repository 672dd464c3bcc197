"""Handling steps aside while the webhook's requests wait to be stored (bot.ingest.BurstWatch).

Measured by what was stored, a flood looked quiet as soon as handling ran (handling slows
storing), and handling then kept the machine: the requests waiting are the demand itself.
"""

from __future__ import annotations

import threading
import time

from bot import ingest as ingest_module
from bot.ingest import CROWDED_FOR, CROWDED_STORES, BurstWatch, Ingest
from bot.simulator.page import make_event
from bot.storage.crypto import new_key, use_keys
from bot.storage.db import Database
from bot.storage.migrate import upgrade


def _database(tmp_path) -> Database:
    use_keys(new_key())
    url = f"sqlite:///{tmp_path / 'burst.db'}"
    upgrade(url)
    return Database(url)


def test_requests_waiting_to_be_stored_make_handling_wait_whatever_the_rate(tmp_path, monkeypatch):
    db = _database(tmp_path)
    ingest = Ingest(db)
    watch = BurstWatch(db, ingest)
    assert not watch.should_wait()  # nothing arriving

    held, real_write = threading.Event(), Ingest._write

    def slow_write(self, batch):  # the database is slow to take them (handling holds it, say)
        held.wait(10)
        real_write(self, batch)

    monkeypatch.setattr(Ingest, "_write", slow_write)
    # Nothing has been stored yet, so the stored rate says "quiet": only the waiting tells.
    monkeypatch.setattr(ingest_module, "BUSY_RATE", 1e9)
    stores = [
        threading.Thread(target=ingest.store, args=([make_event(f"U{i}", "follow")],))
        for i in range(CROWDED_STORES)
    ]
    for t in stores:
        t.start()
    deadline = time.monotonic() + 5
    while not ingest.crowded() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ingest.crowded()
    assert watch.should_wait()
    held.set()
    for t in stores:
        t.join(5)
    time.sleep(CROWDED_FOR + 0.05)
    assert not ingest.crowded()
    assert not watch.should_wait()
    db.dispose()


def test_a_few_requests_at_once_are_everyday_load(tmp_path):
    db = _database(tmp_path)
    ingest = Ingest(db)
    watch = BurstWatch(db, ingest)
    for i in range(CROWDED_STORES + 3):  # one after another, as at a city's everyday load
        ingest.store([make_event(f"U{i}", "follow")])
    assert not ingest.crowded()
    assert not watch.should_wait()
    db.dispose()


def test_arrivals_are_not_kept_past_the_rate_window_while_nobody_asks(tmp_path, monkeypatch):
    """During a long flood the rate is not asked for (the waiting requests say enough), so the
    arrivals must be let go as they come, or a flood of hours would fill the memory."""
    db = _database(tmp_path)
    ingest = Ingest(db)
    clock = [1000.0]
    monkeypatch.setattr(ingest_module.time, "monotonic", lambda: clock[0])
    for _ in range(100):
        ingest._note_arrivals(1)
        clock[0] += 0.1
    assert len(ingest._arrivals) <= ingest_module.RATE_WINDOW / 0.1 + 1
    db.dispose()
