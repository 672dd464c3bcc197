"""The outbox: messages written in the same transaction as the state change that caused them.

``enqueue`` writes its rows with one INSERT on the table, not through the session's unit of
work: in handling, the answer's row flushed as an ORM object was about a fifth of the CPU a
question took (docs/benchmarks.md). What was added to the session before is flushed first, so
the outbox keeps the order in which a turn queued its work (a menu link, then its answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bot.i18n import Translator
from bot.messaging.builders import Message
from bot.storage.models import LineUser, OutboxMessage

# LINE takes at most five messages per request.
PER_REQUEST = 5
# A reply token is good for about a minute; past this age we push instead.
REPLY_TOKEN_LIFETIME = timedelta(seconds=50)
_INSERT = insert(OutboxMessage.__table__)


def enqueue(
    session: Session,
    to: str,
    messages: list[Message],
    *,
    reply_token: str | None = None,
    event_time: datetime | None = None,
    urgent: bool = False,
    hold_until: datetime | None = None,
    instead: list[Message] | None = None,
) -> list[OutboxMessage]:
    """Queue messages for one recipient; the first five may use the reply token, the rest push.
    Returns the rows as written (not in the session: read them back by query if needed).

    ``hold_until``: not sent before then (the clock holds non-urgent pushes in quiet hours);
    an urgent message is never held. ``instead``: the messages hold someone's words and may go
    only as a reply; if the reply cannot be used, ``instead`` is pushed (and nothing else).
    """
    if instead is not None and len(messages) > PER_REQUEST:
        raise ValueError("private words go in one reply: at most five messages")
    first_try = datetime.now(UTC)
    if hold_until is not None and not urgent:
        first_try = max(first_try, hold_until)
    rows = []
    for i in range(0, len(messages), PER_REQUEST):
        row = {
            "to": to,
            "messages": messages[i : i + PER_REQUEST],
            "urgent": urgent,
            "next_attempt_at": first_try,
            "reply_token": None,
            "reply_deadline": None,
            "instead": None,
        }
        if i == 0 and reply_token:
            row["reply_token"] = reply_token
            row["reply_deadline"] = (event_time or datetime.now(UTC)) + REPLY_TOKEN_LIFETIME
        if instead is not None:
            row["instead"] = instead[:PER_REQUEST]
        rows.append(row)
    if rows:
        if session.new:  # what the turn queued before (a menu link) is written first
            session.flush()
        # One row (most answers) as a plain execute: psycopg's executemany costs a pipeline.
        session.connection().execute(_INSERT, rows[0] if len(rows) == 1 else rows)
    return [OutboxMessage(**row) for row in rows]


def push_each(
    session: Session,
    people: Iterable[LineUser],
    build: Callable[[Translator], list[Message]],
    *,
    urgent: bool = False,
    hold_until: datetime | None = None,
) -> int:
    """Push to each person in their own language; those who blocked the bot are skipped.

    ``build`` makes one person's messages from their translator. Returns how many were queued.
    """
    queued = 0
    for person in people:
        if not person.active:
            continue
        enqueue(
            session,
            person.line_user_id,
            build(Translator(person.language)),
            urgent=urgent,
            hold_until=hold_until,
        )
        queued += 1
    return queued


def mark_read(session: Session, token: str) -> None:
    """Queue marking a user's message read in LINE (a person has read it: 既読)."""
    session.add(OutboxMessage(to="", kind="read", messages=[{"token": token}]))
