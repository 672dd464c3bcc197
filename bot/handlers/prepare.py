"""Preparing a batch of stored events before its write transaction (see ``bot.handlers.prepared``).

Read-only: the speakers and their places in a dialog are read without a write lock. A parent's
text is checked for danger; a parent in no dialog whose text is no greeting, thanks, やめる or
ヘルプ (a question, most likely) has the search made that ``parents.answer_question`` would make.
A search made for a text that turns out to be a command or a dialog's starting word is wasted
CPU, never a wrong answer: handling takes a prepared answer only for the same question.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handlers.commands import is_help, is_stop
from bot.handlers.parents import GREETINGS, RESULTS, THANKS, remembered_facets
from bot.handlers.prepared import Prepared
from bot.handlers.router import LONGEST
from bot.handlers.turn import Services
from bot.i18n import TOKYO
from bot.storage.db import Database
from bot.storage.models import NO_CONVERSATION, USERS, Conversation, LineUser
from bot.typed import fold
from bot.vocabulary import Role


def prepare_batch(
    db: Database, events: Iterable[dict], services: Services, now: datetime
) -> Prepared:
    prepared = Prepared()
    texts: dict[str, str] = {}  # LINE user id -> text (a user has one event per batch)
    for event in events:
        source, message = event.get("source") or {}, event.get("message") or {}
        if (
            event.get("type") == "message"
            and source.get("type") == "user"
            and source.get("userId")
            and message.get("type") == "text"
            and isinstance(message.get("text"), str)
        ):
            texts[source["userId"]] = message["text"]
    if not texts:
        return prepared
    with db.reading() as session:
        users = {
            u.line_user_id: u
            for u in session.scalars(select(LineUser).where(LineUser.line_user_id.in_(texts)))
        }
        in_dialog = set(
            session.scalars(
                select(Conversation.user_id).where(
                    Conversation.user_id.in_([u.id for u in users.values()]),
                    Conversation.expires_at > now,
                )
            )
        )
    today = now.astimezone(TOKYO).date()
    for line_id, typed in texts.items():
        user = users.get(line_id)  # someone new is a parent in no dialog
        if user is not None and (user.role != Role.PARENT or user.id in in_dialog):
            continue
        found = prepared.check(typed)
        said = fold(typed).rstrip("!！。.〜~")
        if (
            # the routes are the whole answer (after a concern, or a crisis only the safety net
            # saw, the question is answered too: bot.handlers.crisis.check)
            (found is not None and found.tier != "concern" and not found.net_only)
            or len(typed) > LONGEST
            or said in GREETINGS
            or said in THANKS
            or is_stop(typed)
            or is_help(typed)
        ):
            continue
        profile = (user.profile or {}) if user is not None else {}
        remembered = remembered_facets(profile, services.city)
        prepared.look_up(services.kb, typed, today, RESULTS, remembered)
    return prepared


def preload(session: Session, events: Iterable[dict]) -> None:
    """As a batch's write transaction begins: its speakers and their dialog rows in two reads,
    not two per event (``get_or_create_user`` and ``Turn.place`` look here first)."""
    ids = {
        (event.get("source") or {}).get("userId")
        for event in events
        if (event.get("source") or {}).get("type") == "user"
    } - {None}
    if not ids:
        return
    users = session.scalars(select(LineUser).where(LineUser.line_user_id.in_(ids))).all()
    found = {u.line_user_id: u for u in users}
    session.info[USERS] = {line_id: found.get(line_id) for line_id in ids}
    have = session.scalars(
        select(Conversation).where(Conversation.user_id.in_([u.id for u in users]))
    ).all()
    session.info[NO_CONVERSATION] = {u.id for u in users} - {c.user_id for c in have}
