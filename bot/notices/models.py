"""A notice and its batches. A batch's recipients and retry key are stored before its first try,
so a retry (or a second run after a crash) sends the same batch under the same key: never twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.crypto import EncryptedJSON
from bot.storage.models import Base, utcnow


class Notice(Base):
    """One notice: its text (public information, not about anyone), who sent it, to whom."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    filters: Mapped[dict] = mapped_column(JSON, default=dict)  # stage, area, language codes
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default="sending")  # sending | sent | partial
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def reference(self) -> str:
        return f"N-{self.id:04d}"


class NoticeBatch(Base):
    """Up to 500 recipients of a notice, sent in one multicast request."""

    __tablename__ = "notice_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    # LINE user ids identify parents: encrypted like the rest of what we keep about them.
    to: Mapped[list] = mapped_column(EncryptedJSON)
    retry_key: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
