"""The webhook writer keeps a connection of its own (bot.ingest); disposing of the database gives
it back. Without that every app a process made kept one server connection for good, and a test
run on PostgreSQL ran out of them (``too many clients already``) after a hundred apps."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.ingest import Ingest
from bot.simulator.page import make_event
from bot.storage.crypto import new_key, use_keys
from bot.storage.db import Database
from bot.storage.migrate import upgrade


def _backends(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        ).scalar_one()


def test_disposing_of_the_database_closes_the_writers_connection(database_url):
    use_keys(new_key())
    upgrade(database_url)
    watcher = Database(database_url)
    db = Database(database_url)
    ingest = Ingest(db)
    assert ingest.store([make_event("U1", "follow")]) == 1
    if watcher.is_sqlite:
        db.dispose()
        assert ingest.store([make_event("U2", "follow")]) == 1  # a later batch opens another
        db.dispose()
        watcher.dispose()
        pytest.skip("SQLite keeps no server connections: only that storing goes on was checked")
    before = _backends(watcher)
    db.dispose()
    assert _backends(watcher) == before - 1
    assert ingest.store([make_event("U2", "follow")]) == 1  # a later batch opens another
    db.dispose()
    watcher.dispose()
