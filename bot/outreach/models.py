"""The bookings' table: which parent holds which slot of which outreach session.

A slot is one family's: a unique index over (session, day, slot start) among the bookings that
stand (``status = 'booked'``) makes the database refuse a second booking of it, whatever two
parents do at the same moment. A cancelled booking stays (for the monthly figures) until
retention removes it; it no longer holds the slot.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow

BOOKED = "booked"
CANCELLED = "cancelled"


class OutreachBooking(Base):
    __tablename__ = "outreach_bookings"
    __table_args__ = (
        Index(
            "uq_outreach_bookings_slot",
            "entry_key",
            "day",
            "starts",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index("ix_outreach_bookings_day", "day", "status"),
        Index("ix_outreach_bookings_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("line_users.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(120))  # the session's knowledge-base entry
    day: Mapped[date] = mapped_column(Date)
    starts: Mapped[str] = mapped_column(String(5))  # HH:MM, local time
    ends: Mapped[str] = mapped_column(String(5))
    # The session's name and place as the parent booked them (public words, not theirs): what
    # the reminder says even if the city has since changed the entry.
    title: Mapped[str] = mapped_column(String(300))
    area: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default=BOOKED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
