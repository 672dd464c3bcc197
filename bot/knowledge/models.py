"""Knowledge-base tables: organizations, places, entries (services, facilities, salons,
events) and their schedule rules. Each row has a stable external `key`, so a re-import
updates it in place, and records where it came from (file, line, importer).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.crypto import EncryptedText
from bot.storage.models import Base, utcnow


class _Provenance:
    source_file: Mapped[str] = mapped_column(String(300), default="")
    source_line: Mapped[int] = mapped_column(Integer, default=0)
    importer: Mapped[str] = mapped_column(String(40), default="")
    # A digest of the imported content: an unchanged row is not rewritten (or counted).
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class KbOrganization(_Provenance, Base):
    """A provider or body: the support centre, the health centre, an NPO, a nursery's owner."""

    __tablename__ = "kb_organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kana: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(String(500), default="")


class KbPlace(_Provenance, Base):
    """Where something happens: an address, a map point and the area (地区) it lies in."""

    __tablename__ = "kb_places"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kana: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    area: Mapped[str | None] = mapped_column(String(40))
    access: Mapped[str] = mapped_column(Text, default="")


class KbEntry(_Provenance, Base):
    """A service, facility, salon or event a family can use (kind says which)."""

    __tablename__ = "kb_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kana: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list] = mapped_column(JSON, default=list)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    stages: Mapped[list] = mapped_column(JSON, default=list)
    min_age_months: Mapped[int | None] = mapped_column(Integer)
    max_age_months: Mapped[int | None] = mapped_column(Integer)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_organizations.id", ondelete="SET NULL")
    )
    place_id: Mapped[int | None] = mapped_column(ForeignKey("kb_places.id", ondelete="SET NULL"))
    area: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(40), default="")
    fee: Mapped[str] = mapped_column(String(200), default="")
    booking: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[KbOrganization | None] = relationship(lazy="joined")
    place: Mapped[KbPlace | None] = relationship(lazy="joined")
    schedules: Mapped[list[KbSchedule]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        order_by="KbSchedule.position",
        lazy="selectin",
    )


class KbSchedule(Base):
    """One rule: weekdays, nth weekdays of the month ("2nd and 4th Wed") or explicit dates."""

    __tablename__ = "kb_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("kb_entries.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    weekdays: Mapped[list] = mapped_column(JSON, default=list)  # 0 = Monday
    nth: Mapped[list] = mapped_column(JSON, default=list)  # 1..5, -1 = last
    dates: Mapped[list] = mapped_column(JSON, default=list)  # ISO dates
    start_time: Mapped[str | None] = mapped_column(String(5))  # HH:MM, local time
    end_time: Mapped[str | None] = mapped_column(String(5))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    closed_on_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(200), default="")

    entry: Mapped[KbEntry] = relationship(back_populates="schedules")


class KbGap(Base):
    """A question the knowledge base could not answer well, kept for the city's editors.

    Only what was asked: the words (with phone numbers, e-mail addresses, long numbers and
    names masked, encrypted at rest), the day (not the time, so it cannot be matched to a
    conversation), how it went and which needs it stated. Never who asked: no user, no session.
    Purged after ``bot.scheduler.retention.GAPS_KEPT``.
    """

    __tablename__ = "kb_gaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_on: Mapped[date] = mapped_column(Date, index=True)  # in Asia/Tokyo
    kind: Mapped[str] = mapped_column(String(12))  # nothing, closest, unrelated
    question: Mapped[str] = mapped_column(EncryptedText)
    needs: Mapped[list] = mapped_column(JSON, default=list)
    closest: Mapped[str] = mapped_column(String(120), default="")  # the best entry's key, if any
