"""The consultation requests' table: what a parent asked for, encrypted where it is theirs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.crypto import EncryptedText
from bot.storage.models import Base, utcnow


class ConsultationRequest(Base):
    """A parent asking for a specialist (利用者支援専門員) to contact them: the words of their
    case (S-0042, ``bot.cases``), which does the routing, claiming and closing."""

    __tablename__ = "consultation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None once the parent asked to be forgotten: the request stays, anonymous (bot.privacy).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str | None] = mapped_column(String(16))
    area: Mapped[str | None] = mapped_column(String(32))
    # What the parent wrote and how to reach them: about a family, so encrypted.
    detail: Mapped[str | None] = mapped_column(EncryptedText)
    contact: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
