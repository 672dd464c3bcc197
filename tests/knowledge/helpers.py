"""Small helpers for the knowledge tests: row counts and snapshots, to prove nothing changed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.knowledge.models import KbEntry, KbOrganization, KbPlace, KbSchedule
from bot.storage.db import Database

TODAY = date(2026, 11, 27)  # a Friday; the evaluation set's "today"


def table_counts(db: Database) -> dict[str, int]:
    """Row counts of every knowledge table: 'nothing changed' means these did not move."""
    with db.transaction() as session:
        return {
            m.__tablename__: session.scalar(select(func.count()).select_from(m))
            for m in (KbOrganization, KbPlace, KbEntry, KbSchedule)
        }


def snapshot(db: Database) -> list[tuple]:
    with db.transaction() as session:
        return sorted((e.key, e.name, e.content_hash) for e in session.scalars(select(KbEntry)))
