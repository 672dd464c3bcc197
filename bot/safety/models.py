"""How often the bot answered danger, by tier: for the city's monthly figures. Nothing about who
wrote or what they wrote — a moment, a tier and the kinds of danger, no user and no words."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class DangerAnswer(Base):
    __tablename__ = "danger_answers"
    __table_args__ = (Index("ix_danger_answers_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    tier: Mapped[str] = mapped_column(String(12))  # emergency | crisis | concern
    kinds: Mapped[list] = mapped_column(JSON, default=list)
