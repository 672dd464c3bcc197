"""The foundation's tables: who we talk to, what came in, what goes out, where each dialog is."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    false,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.storage.crypto import EncryptedJSON


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # Named constraints so Alembic migrations work on SQLite (batch mode) and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {datetime: UTCDateTime}


class LineUser(Base):
    """Anyone who has talked to the bot; a parent until an invite code says otherwise."""

    __tablename__ = "line_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="ja")
    role: Mapped[str] = mapped_column(String(16), default="parent")
    # Remembered answers (child's stage, area …): about a family, so encrypted.
    profile: Mapped[dict] = mapped_column(EncryptedJSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    followed_at: Mapped[datetime | None]
    unfollowed_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]


# session.info, filled as a batch's write transaction begins (bot.handlers.prepare.preload): its
# speakers by LINE user id (None: known to be new), and the ids of those with no dialog row.
USERS = "tsunagu.users"
NO_CONVERSATION = "tsunagu.no_conversation"


def get_or_create_user(
    session: Session, line_user_id: str, seen: datetime | None = None
) -> LineUser:
    """The person behind a LINE user id; someone new is a parent who speaks Japanese.

    ``seen``: someone new is written seen then (their ``last_seen_at`` in the INSERT, not in
    an UPDATE right after it); the caller sets it for everyone else."""
    known = session.info.get(USERS, {})
    user = known.get(line_user_id)
    if user is None and line_user_id not in known:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == line_user_id))
    if user is None:
        user = LineUser(
            line_user_id=line_user_id, language="ja", role="parent", profile={}, last_seen_at=seen
        )
        session.add(user)
        session.flush()
        if line_user_id in known:
            known[line_user_id] = user
            session.info.get(NO_CONVERSATION, set()).add(user.id)  # someone new is in no dialog
    return user


class InboxEvent(Base):
    """A webhook event, stored once by its webhookEventId before LINE gets its 200."""

    __tablename__ = "inbox_events"
    __table_args__ = (
        Index("ix_inbox_pending_by_source", "status", "source_key", "event_ts"),
        Index("ix_inbox_pending_order", "status", "id"),  # the handler's look for work
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    # "user:U…", "group:C…" or "room:R…": the unit whose events are handled in order.
    source_key: Mapped[str] = mapped_column(String(80))
    event_type: Mapped[str] = mapped_column(String(32))
    event_ts: Mapped[int] = mapped_column(BigInteger)
    is_redelivery: Mapped[bool] = mapped_column(Boolean, default=False)
    # The raw event, encrypted (it may hold a note's text); cleared once handled.
    payload: Mapped[dict | None] = mapped_column(EncryptedJSON)
    # pending → claimed (by one worker, until lease_until) → done, or failed after MAX_ATTEMPTS
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]


class Conversation(Base):
    """Where a user is in a dialog: its name, step, data and a session id for stale buttons."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("line_users.id", ondelete="CASCADE"), primary_key=True
    )
    dialog: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(40))
    session: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict] = mapped_column(EncryptedJSON, default=dict)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxMessage(Base):
    """Messages to send, written in the transaction that decided them, then delivered."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(64))
    # "messages" (reply or push) or "richmenu" (link the user's menu: messages holds its name)
    kind: Mapped[str] = mapped_column(String(16), default="messages")
    messages: Mapped[list] = mapped_column(EncryptedJSON)
    # Messages that hold someone's words go only as a reply: when the reply cannot be used
    # (the token aged), these are pushed instead (a "tap to read" with a fresh button).
    instead: Mapped[list | None] = mapped_column(EncryptedJSON)
    reply_token: Mapped[str | None] = mapped_column(String(64))
    reply_deadline: Mapped[datetime | None]
    # Generated once, stored before the first try: LINE drops a push it has seen with this key.
    retry_key: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    # Set while a reply is on the wire: if we die then, we cannot know whether it arrived.
    reply_in_flight: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_via: Mapped[str | None] = mapped_column(String(8))
    # Its words have been cleared after delivery (``scheduler.retention``): only the fact stays.
    cleared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
