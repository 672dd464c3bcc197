"""The clock's own tables: who leads, when it last ticked, and what it has already sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class ClockLease(Base):
    """The one row a leading clock renews; another clock takes over when it runs out."""

    __tablename__ = "clock_leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    last_tick: Mapped[datetime | None]  # the time the last completed tick was "as of"


class ReminderSent(Base):
    """One row per reminder decided, written with its outbox rows in one transaction.

    The key is (kind, subject, due day): inserting it is how a reminder is decided, so a tick
    run again, by a second clock or after a crash, finds the key taken and sends nothing twice.
    ``at`` is the moment the tick decided it "as of" (jobs compare it with a case's last change).
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "due_on", name="uq_reminders_sent_key"),
        Index("ix_reminders_sent_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # followup | unclaimed | unclaimed_admin | stale | handover | referral_provider |
    # referral_specialist | urgent_unclaimed | dead_letter | morning (a business morning's
    # batch, subject 0)
    kind: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[int]  # a case, a referral or an outbox row, by kind
    due_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(default=utcnow)
