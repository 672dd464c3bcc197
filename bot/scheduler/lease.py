"""Leadership by lease: only the clock holding the row's lease runs jobs.

The leader renews the lease on every beat; a clock that cannot renew (it was paused, lost the
database, or another took over) stops acting at once. When a leader dies its lease runs out and
a waiting clock takes over within the lease time. The row also keeps the time the last tick was
"as of", so a clock coming back after downtime knows which days it missed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.scheduler.models import ClockLease
from bot.storage.db import Database

LEASE_NAME = "clock"
LEASE_TIME = timedelta(seconds=30)
NEVER = datetime(2000, 1, 1, tzinfo=UTC)  # an expired lease nobody holds


def insert_for(db: Database):
    """The dialect's INSERT, which has ON CONFLICT DO NOTHING on both databases."""
    return sqlite_insert if db.is_sqlite else pg_insert


def _ensure_row(session, db: Database) -> None:
    session.execute(
        insert_for(db)(ClockLease)
        .values(name=LEASE_NAME, holder="", expires_at=NEVER)
        .on_conflict_do_nothing(index_elements=["name"])
    )


def acquire(db: Database, holder: str, now: datetime, lease: timedelta = LEASE_TIME) -> bool:
    """Take or renew the lease; True while this holder leads."""
    with db.transaction() as session:
        _ensure_row(session, db)
        result = session.execute(
            update(ClockLease)
            .where(
                ClockLease.name == LEASE_NAME,
                or_(ClockLease.holder == holder, ClockLease.expires_at < now),
            )
            .values(holder=holder, expires_at=now + lease)
        )
        return result.rowcount == 1


def release(db: Database, holder: str, now: datetime) -> None:
    """Give the lease up (a clean shutdown), so another clock need not wait it out."""
    with db.transaction() as session:
        session.execute(
            update(ClockLease)
            .where(ClockLease.name == LEASE_NAME, ClockLease.holder == holder)
            .values(expires_at=now)
        )


def holder_now(db: Database) -> tuple[str, datetime] | None:
    """Who holds the lease and until when (tests and operators)."""
    with db.reading() as session:
        row = session.execute(
            select(ClockLease.holder, ClockLease.expires_at).where(ClockLease.name == LEASE_NAME)
        ).first()
        return (row[0], row[1]) if row else None


def last_tick(db: Database) -> datetime | None:
    with db.reading() as session:
        return session.scalar(select(ClockLease.last_tick).where(ClockLease.name == LEASE_NAME))


def mark_ticked(db: Database, as_of: datetime) -> None:
    """Remember the tick as of this moment (a later tick catches up from its day)."""
    with db.transaction() as session:
        _ensure_row(session, db)
        session.execute(
            update(ClockLease).where(ClockLease.name == LEASE_NAME).values(last_tick=as_of)
        )
