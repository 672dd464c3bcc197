"""Preparing a batch of stored events before its write transaction (see ``bot.handlers.prepared``).

Read-only: the speakers and their places in a dialog are read without a write lock. A parent's
text in no dialog is checked for danger ahead (``Prepared.danger``); the search is not made
ahead (see below). ``preload`` reads a batch's speakers as its write transaction begins.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.relay import note_no_threads
from bot.handlers.prepared import Prepared
from bot.storage.db import Database
from bot.storage.models import NO_CONVERSATION, USERS, Conversation, LineUser
from bot.vocabulary import Role


def prepare_batch(db: Database, events: Iterable[dict], now: datetime) -> Prepared:
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
    for line_id, typed in texts.items():
        user = users.get(line_id)  # someone new is a parent in no dialog
        if user is not None and (user.role != Role.PARENT or user.id in in_dialog):
            continue
        prepared.danger(typed)
        # The search is not made ahead: it reads the knowledge base, which is rebuilt when
        # checked after an import, and a search made ahead for a text that was no question
        # (an invite code) checked it too early (tests/cases/test_my_data.py saw the old base).
    return prepared


def preload(session: Session, events: Iterable[dict]) -> None:
    """As a batch's write transaction begins: its speakers, their dialog rows and whether they
    have an open conversation with a specialist in three reads, not three per event
    (``get_or_create_user``, ``Turn.place`` and ``relay.open_thread`` look here first)."""
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
    note_no_threads(session, users, ids)
