"""The lease row: one holder at a time, renewed by its holder, taken over when it runs out."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduler.lease import acquire, holder_now, last_tick, mark_ticked, release
from bot.storage import crypto
from bot.storage.db import Database
from bot.storage.migrate import upgrade

T0 = datetime(2027, 1, 12, 0, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


@pytest.fixture
def db(database_url):
    crypto.use_keys(crypto.new_key())
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


def test_one_clock_leads_until_its_lease_runs_out(db):
    assert acquire(db, "a", T0, LEASE)
    assert not acquire(db, "b", T0 + timedelta(seconds=10), LEASE)
    assert acquire(db, "a", T0 + timedelta(seconds=20), LEASE)  # renewed: runs to T0+50 s
    assert not acquire(db, "b", T0 + timedelta(seconds=45), LEASE)
    assert acquire(db, "b", T0 + timedelta(seconds=51), LEASE)  # a stopped beating
    assert not acquire(db, "a", T0 + timedelta(seconds=52), LEASE)  # and cannot come back
    assert holder_now(db)[0] == "b"


def test_a_clean_stop_gives_the_lease_up_at_once(db):
    assert acquire(db, "a", T0, LEASE)
    release(db, "b", T0)  # not b's to give
    assert not acquire(db, "b", T0 + timedelta(seconds=1), LEASE)
    release(db, "a", T0 + timedelta(seconds=1))
    assert acquire(db, "b", T0 + timedelta(seconds=2), LEASE)


def test_the_last_tick_is_kept_with_the_lease(db):
    assert last_tick(db) is None
    mark_ticked(db, T0)
    assert last_tick(db) == T0
    assert acquire(db, "a", T0, LEASE)  # a tick by hand leaves the lease free
    mark_ticked(db, T0 + timedelta(minutes=1))
    assert last_tick(db) == T0 + timedelta(minutes=1) and holder_now(db)[0] == "a"
