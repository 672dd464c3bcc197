"""Deciding a reminder once: its key (kind, subject, due day) is inserted insert-or-ignore in
the transaction that writes its pushes, so only a new key sends anything (``ReminderSent``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

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
