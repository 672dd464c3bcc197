"""The network meetings' table: where and when an area's network meets (no family details)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class Meeting(Base):
    __tablename__ = "network_meetings"
    __table_args__ = (Index("ix_network_meetings_starts", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    called_by: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
