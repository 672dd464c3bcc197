"""One turn: the speaker, their conversation, and what the bot says back, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dialogs.engine import Context, Place
from bot.i18n import Translator
from bot.messaging.builders import Message
from bot.messaging.outbox import enqueue
from bot.storage.models import Conversation, LineUser


@dataclass
class Services:
    """What handlers may consult: settings, the city file, the knowledge base … (read-only)."""

    settings: Any
    city: dict = field(default_factory=dict)
    kb: Any = None  # bot.knowledge.service.KnowledgeBase


def get_or_create_user(session: Session, line_user_id: str) -> LineUser:
    user = session.scalar(select(LineUser).where(LineUser.line_user_id == line_user_id))
    if user is None:
        user = LineUser(line_user_id=line_user_id, language="ja", role="parent", profile={})
        session.add(user)
        session.flush()
    return user


@dataclass
class Turn:
    session: Session
    user: LineUser
    services: Services
    now: datetime
    reply_token: str | None
    event_time: datetime
    event_id: int | None
    out: list[Message] = field(default_factory=list)
    urgent: bool = False

    @property
    def t(self) -> Translator:
        return Translator(self.user.language)

    def say(self, *messages: Message) -> None:
        self.out.extend(messages)

    def context(self, data: dict | None = None) -> Context:
        profile = dict(self.user.profile or {})
        profile.setdefault("language", self.user.language)
        return Context(
            self.t, self.now, dict(data or {}), profile, self.user.line_user_id, self.services
        )

    def keep_profile(self, ctx: Context) -> None:
        """Write back what a dialog remembered about the user."""
        profile = dict(ctx.profile)
        self.user.language = profile.pop("language", self.user.language)
        if profile != (self.user.profile or {}):
            self.user.profile = profile

    # ------------------------------------------------------------ the user's place in a dialog

    def place(self) -> Place | None:
        conv = self.session.get(Conversation, self.user.id)
        if conv is None:
            return None
        if conv.expires_at <= self.now:  # abandoned: forget it
            self.session.delete(conv)
            self.session.flush()
            return None
        return Place(conv.dialog, conv.step, conv.session, dict(conv.data or {}), conv.misses)

    def set_place(self, place: Place | None) -> None:
        conv = self.session.get(Conversation, self.user.id)
        if place is None:
            if conv is not None:
                self.session.delete(conv)
            return
        ttl = timedelta(minutes=self.services.settings.dialog_ttl_minutes)
        if conv is None:
            conv = Conversation(user_id=self.user.id)
            self.session.add(conv)
        conv.dialog, conv.step, conv.session = place.dialog, place.step, place.session
        conv.data, conv.misses = place.data, place.misses
        conv.expires_at = self.now + ttl

    def flush_out(self) -> None:
        if self.out:
            enqueue(
                self.session,
                self.user.line_user_id,
                self.out,
                reply_token=self.reply_token,
                event_time=self.event_time,
                urgent=self.urgent,
                source_event_id=self.event_id,
            )
            self.out = []


def event_time(event: dict) -> datetime:
    ts = event.get("timestamp")
    return datetime.fromtimestamp(ts / 1000, UTC) if isinstance(ts, int) else datetime.now(UTC)
