"""What the city keeps about a parent, and forgetting it.

``forget`` deletes what is the parent's alone — their remembered profile, bookings, their place
in a dialog, the messages queued or kept for them, the words of their past events and notices'
lists — and anonymises what the city must keep for its records: a consultation request keeps
its topic, stage, area, status and dates, but loses the parent, what they wrote and how to
reach them; their cases lose the link to them and the words of the conversation with them.
Last, the parent's row itself goes: if they write again, the bot meets a new parent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.cases.models import Case, CaseEvent
from bot.consultations.models import ConsultationRequest
from bot.notices.models import NoticeBatch
from bot.outreach.models import OutreachBooking
from bot.outreach.service import upcoming_of
from bot.storage.models import Conversation, InboxEvent, LineUser, OutboxMessage

RELAY_WORDS = "message"  # the case events that hold the conversation with the family
FORGOTTEN = "forgotten"  # an inbox event's source once its sender asked to be forgotten


@dataclass(frozen=True)
class Kept:
    """What a parent is shown: their profile's codes, bookings to come, open consultations."""

    language: str
    stage: str | None
    area: str | None
    bookings: list[OutreachBooking]
    consultations: list[ConsultationRequest]
    open_cases: list[Case]


def kept(session: Session, user: LineUser, now: datetime) -> Kept:
    profile = user.profile or {}
    requests = session.scalars(
        select(ConsultationRequest)
        .where(ConsultationRequest.user_id == user.id)
        .order_by(ConsultationRequest.id)
    ).all()
    cases = session.scalars(
        select(Case).where(Case.parent_id == user.id, Case.status != "closed").order_by(Case.id)
    ).all()
    return Kept(
        language=user.language,
        stage=profile.get("stage"),
        area=profile.get("area"),
        bookings=upcoming_of(session, user.id, now),
        consultations=list(requests),
        open_cases=list(cases),
    )


def forget(session: Session, user: LineUser) -> None:
    """Delete and anonymise everything of ``user`` (see the module's docstring), in the
    caller's transaction."""
    uid, line_id = user.id, user.line_user_id
    session.execute(delete(OutreachBooking).where(OutreachBooking.user_id == uid))
    session.execute(delete(Conversation).where(Conversation.user_id == uid))
    cases = select(Case.id).where(Case.parent_id == uid).scalar_subquery()
    session.execute(
        update(CaseEvent)
        .where(CaseEvent.case_id.in_(cases), CaseEvent.kind == RELAY_WORDS)
        .values(words=None, detail={"erased": True})
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Case)
        .where(Case.parent_id == uid)
        .values(parent_id=None, relay_open=False, language=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(ConsultationRequest)
        .where(ConsultationRequest.user_id == uid)
        .values(user_id=None, detail=None, contact=None)
        .execution_options(synchronize_session=False)
    )
    # Pushes still waiting for them, and whatever is kept of those already sent.
    session.execute(delete(OutboxMessage).where(OutboxMessage.to == line_id))
    # Events already handled keep their row (a redelivery is still recognised by its id) but
    # no longer say whose they were. Pending ones (the request being answered now, and anything
    # they sent after it) keep their payload until handled, which clears it, but lose the name
    # too: the source key only orders a user's events, and this user is gone.
    named = InboxEvent.source_key == f"user:{line_id}"
    for pending, values in ((False, {"payload": None}), (True, {})):
        state = InboxEvent.status == "pending" if pending else InboxEvent.status != "pending"
        session.execute(
            update(InboxEvent)
            .where(named, state)
            .values(source_key=FORGOTTEN, **values)
            .execution_options(synchronize_session=False)
        )
    for batch in session.scalars(select(NoticeBatch)):
        if line_id in (batch.to or []):
            batch.to = [to for to in batch.to if to != line_id]
    session.delete(user)
    session.flush()
