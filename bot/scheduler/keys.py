"""Deciding a reminder once: its key (kind, subject, due day) is inserted insert-or-ignore in
the transaction that writes its pushes, so only a new key sends anything (``ReminderSent``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.calendar import local_day
from bot.scheduler.lease import insert_for
from bot.scheduler.models import ReminderSent
from bot.storage.db import Database


def decide(session: Session, db: Database, keys: Iterable[tuple], at: datetime) -> set[tuple]:
    """Insert the keys, ignoring those already there; return the ones that are new."""
    rows = [{"kind": k, "subject_id": s, "due_on": d, "at": at} for k, s, d in dict.fromkeys(keys)]
    if not rows:
        return set()
    statement = (
        insert_for(db)(ReminderSent)
        .on_conflict_do_nothing(index_elements=["kind", "subject_id", "due_on"])
        .returning(
            ReminderSent.kind,
            ReminderSent.subject_id,
            ReminderSent.due_on,
            sort_by_parameter_order=False,
        )
    )
    # One statement, many rows (SQLAlchemy batches them): only the rows inserted come back.
    return {tuple(row) for row in session.connection().execute(statement, rows)}


def remind_day_before(
    parts,
    now: datetime,
    kind: str,
    due_tomorrow: Callable[[Session, datetime], list],
    remind: Callable[[Session, object], int],
) -> int:
    """The day before a meeting or a booking, from the office's morning: each one due tomorrow
    reminded once (its key decided here). ``remind`` sends one and returns how many it told."""
    today = local_day(now)
    if now < parts.calendar.morning_of(today):
        return 0
    with parts.db.reading() as session:  # nothing due: no write lock taken
        due = [x.id for x in due_tomorrow(session, now)]
    if not due:
        return 0
    reminded = 0
    with parts.db.transaction() as session:
        new = decide(session, parts.db, [(kind, x, today) for x in due], now)
        for x in due_tomorrow(session, now):
            if (kind, x.id, today) in new:
                reminded += remind(session, x)
    return reminded
