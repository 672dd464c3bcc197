"""One turn: the speaker, their place in a dialog, and what the bot says back, all in the
transaction that handles one event (the outbox rows are written in it too).

``Services`` are the process's read-only parts a handler may consult: settings, the city, the
knowledge base, and the composed chat router (to start a dialog from a command).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session

from bot.city import City
from bot.config import Settings
from bot.dialogs.engine import Context, Dialog, Place
from bot.handlers.prepared import Prepared
from bot.i18n import TOKYO, Translator
from bot.messaging.builders import Message
from bot.messaging.outbox import enqueue
from bot.safety import assess
from bot.storage.models import NO_CONVERSATION, Conversation, LineUser


class Conversations(Protocol):
    """The composed chat router (``bot.handlers.router.Router``), as events and handlers use it."""

    def on_text(self, turn: Turn, typed: str) -> None: ...

    def on_postback(self, turn: Turn, data: str, params: dict) -> None: ...

    def on_not_text(self, turn: Turn) -> None: ...

    def start_dialog(self, turn: Turn, dialog: Dialog, data: dict | None = None) -> None: ...

    def ask_again(self, turn: Turn) -> None: ...


@dataclass
class Services:
    settings: Settings
    city: City
    kb: Any  # bot.knowledge.service.KnowledgeBase
    chat: Conversations | None = None  # set once the routers are composed
    loading: Any = None  # bot.messaging.loading.LoadingAnimation, where LINE is there to show it


@dataclass
class Turn:
    session: Session
    user: LineUser
    services: Services
    now: datetime
    reply_token: str | None
    event_time: datetime
    out: list[Message] = field(default_factory=list)
    urgent: bool = False
    # The LINE token that marks the message being handled read (a relay keeps it for the
    # specialist: 既読 when a person opens it).
    read_token: str | None = None
    # Set when the answer shows someone's words: pushed instead if the reply token has aged.
    instead: list[Message] | None = None
    # Set when the concern answer (a warm word, the 24-hour lines, the offer) was said: the
    # text is still answered as a question, without saying the offer or a human word twice.
    concerned: bool = False
    # True once this turn has found the speaker in no dialog: session.get cannot remember that a
    # row is absent, and most texts come from no dialog and ask three times. Only set_place
    # makes a row.
    _no_place: bool = field(default=False, repr=False)
    # The danger checks worked out before the batch's write transaction.
    prepared: Prepared = field(default_factory=Prepared, repr=False)

    @property
    def t(self) -> Translator:
        return Translator(self.user.language)

    @property
    def city(self) -> City:
        return self.services.city

    @property
    def today(self) -> date:
        return self.now.astimezone(TOKYO).date()

    def say(self, *messages: Message) -> None:
        self.out.extend(messages)

    def show_loading(self) -> None:
        """LINE's "…" in the speaker's chat while the bot looks something up (not a message:
        the reply token stays for the answer; it never waits for LINE)."""
        if self.services.loading is not None:
            self.services.loading.show(self.user.line_user_id)

    def say_privately(self, *messages: Message, instead: list[Message]) -> None:
        """Say words that are someone's own (a note, a memo, a family's message): only as the
        reply to this event; if it cannot be a reply, ``instead`` is pushed."""
        self.out.extend(messages)
        self.instead = instead

    def start(self, dialog: Dialog, **data) -> None:
        """Start a dialog for this speaker (the one way: the router's)."""
        self.services.chat.start_dialog(self, dialog, data)

    def context(self, data: dict | None = None) -> Context:
        profile = dict(self.user.profile or {})
        profile.setdefault("language", self.user.language)
        return Context(self.t, self.now, dict(data or {}), profile, self.city, _has_danger)

    def keep_profile(self, ctx: Context) -> None:
        """Write back what a dialog remembered about the speaker."""
        profile = dict(ctx.profile)
        self.user.language = profile.pop("language", self.user.language)
        if profile != (self.user.profile or {}):
            self.user.profile = profile

    # ------------------------------------------------------------ the speaker's place in a dialog

    def _conversation(self) -> Conversation | None:
        # A batch reads its speakers' rows at once (bot.handlers.prepare.preload): a speaker
        # known to have none is not asked for again, unless one was made in this session since.
        absent = self.session.info.get(NO_CONVERSATION, ())
        if self.user.id in absent:
            key = self.session.identity_key(Conversation, self.user.id)
            made = self.session.identity_map.get(key)
            return made if made is not None and made not in self.session.deleted else None
        return self.session.get(Conversation, self.user.id)

    def place(self) -> Place | None:
        if self._no_place:
            return None
        conv = self._conversation()
        if conv is None:
            self._no_place = True
            return None
        if conv.expires_at <= self.now:  # abandoned: forget it
            self.session.delete(conv)
            self.session.flush()
            return None
        return Place(conv.dialog, conv.step, conv.session, dict(conv.data or {}), conv.misses)

    def set_place(self, place: Place | None) -> None:
        conv = self._conversation()
        if place is None:
            if conv is not None:
                self.session.delete(conv)
                self.session.flush()  # a dialog started next in this turn gets a fresh row
            return
        ttl = timedelta(minutes=self.services.settings.dialog_ttl_minutes)
        if conv is None:
            conv = Conversation(user_id=self.user.id)
            self.session.add(conv)
            self.session.info.get(NO_CONVERSATION, set()).discard(self.user.id)
        self._no_place = False
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
                instead=self.instead,
            )
            self.out = []


def _has_danger(words: str) -> bool:
    # A member's note is made urgent by a sign the rules found, not by the safety net's word alone
    found = assess(words)
    return found is not None and not found.net_only
