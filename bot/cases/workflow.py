"""A case's life once it has begun (``intake``): claimed → actions, follow-ups, referrals →
closed.

Each change writes a CaseEvent (who, when, what kind) and queues the pushes it causes in the
same transaction. A state change (claim, hand-over, close) also counts up the case's version,
so a button made before it is stale. The member who filed the note hears, in general words,
when it is picked up and when it is closed; providers hear a referral request with no family
details.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases import labels
from bot.cases import messages as m
from bot.cases.models import Case, CaseEvent, Referral
from bot.cases.queries import org_members, reporter_of
from bot.cases.routing import route_note
from bot.city import City
from bot.i18n import _
from bot.messaging.builders import buttons, text
from bot.messaging.outbox import push_each
from bot.storage.models import LineUser
from bot.vocabulary import Role, SpecialistType

log = logging.getLogger(__name__)


def record(
    session: Session,
    case: Case,
    actor: LineUser | None,
    kind: str,
    now: datetime,
    words: str | None = None,
    **detail,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        actor_id=actor.id if actor else None,
        kind=kind,
        detail=detail,
        words=words,
        at=now,
    )
    session.add(event)
    case.updated_at = now
    log.info("case %s: %s by user %s", case.id, kind, actor.id if actor else None)
    return event


def _moved_on(case: Case) -> None:
    """A state change: buttons made before it no longer change the case."""
    case.version = (case.version or 1) + 1


# ---------------------------------------------------------------- the reporter hears back

PICKED_UP = _(
    "Thank you for your note {ref}. A specialist has picked it up and will take it from here."
)
CLOSED = _(
    "The specialists have finished their work on your note {ref}. "
    "Thank you for watching over the families around you."
)


def tell_reporter(session: Session, case: Case, message_id: str) -> None:
    reporter = reporter_of(session, case)
    if reporter is None or reporter.role == Role.PARENT:
        return
    push_each(session, [reporter], lambda t: [text(t.gettext(message_id, ref=case.reference))])


# ---------------------------------------------------------------- a specialist's work


def claim(session: Session, case: Case, actor: LineUser, now: datetime) -> bool:
    """Take the case on; False when someone else already has it."""
    if case.assignee_id not in (None, actor.id) or case.status == "closed":
        return False
    if case.assignee_id is None:
        _moved_on(case)
    # The member hears once: a claim after a hand-over is the same note picked up again.
    first_ever = case.claimed_at is None
    case.assignee_id, case.status = actor.id, "open"
    case.claimed_at = case.claimed_at or now
    record(session, case, actor, "claimed", now)
    if first_ever:
        tell_reporter(session, case, PICKED_UP)
    return True


def log_action(
    session: Session, case: Case, actor: LineUser, kind: str, now: datetime, memo: str | None = None
) -> None:
    record(session, case, actor, "action", now, words=memo, action=kind)


def add_memo(session: Session, case: Case, actor: LineUser, words: str, now: datetime) -> None:
    record(session, case, actor, "memo", now, words=words)


def set_follow_up(session: Session, case: Case, actor: LineUser, day: date, now: datetime):
    case.follow_up_on = day
    record(session, case, actor, "follow_up", now, on=day.isoformat())


def hand_over(
    session: Session,
    case: Case,
    actor: LineUser,
    now: datetime,
    city: City,
    memo: str | None = None,
):
    """To the other type (the child turned one …): routed afresh, unclaimed, the new lead told
    that it comes from their colleagues, not that it is a new note."""
    before = SpecialistType(case.lead_type)
    case.lead_type = before.other
    case.assignee_id, case.status = None, "new"
    _moved_on(case)
    routing = route_note(session, case)
    lead_id = routing.lead.id if routing.lead else None
    record(session, case, actor, "handed_over", now, words=memo, to=case.lead_type, lead=lead_id)
    told = [user for user in routing.leads_told if user.id != actor.id]
    push_each(session, told, lambda t: [m.handed_over_push(t, case, city, before)])


def close(session: Session, case: Case, actor: LineUser, outcome: str, now: datetime) -> None:
    started = session.scalars(
        select(Referral)
        .where(Referral.case_id == case.id, Referral.status.in_(("started", "accepted")))
        .order_by(Referral.status.desc(), Referral.id.desc())
    ).first()
    case.status, case.outcome, case.closed_at = "closed", outcome, now
    case.outcome_org = started.org if outcome == "connected" and started else None
    case.follow_up_on = None
    _moved_on(case)
    record(session, case, actor, "closed", now, outcome=outcome, org=case.outcome_org)
    tell_reporter(session, case, CLOSED)


# ---------------------------------------------------------------- referrals to providers

ANSWERS = ("accepted", "started", "declined")
# What a provider may answer next: "can accept" may still become "started" or "cannot";
# "started" and "cannot" are final. Only while the case is open.
TRANSITIONS = {
    "requested": frozenset(ANSWERS),
    "accepted": frozenset({"started", "declined"}),
}


def refer(
    session: Session,
    case: Case,
    actor: LineUser,
    org: str,
    now: datetime,
    city: City,
    channel: str = "line",
) -> Referral | None:
    """Ask a provider: through the bot when it has members (None when it has none), or record
    a referral made by phone, on paper or by email (its answer is entered later)."""
    members = org_members(session, org) if channel == "line" else []
    if channel == "line" and not members:
        return None
    referral = Referral(
        case_id=case.id, org=org, requested_by=actor.id, channel=channel, created_at=now
    )
    session.add(referral)
    session.flush()
    record(session, case, actor, "referred", now, referral=referral.id, org=org, via=channel)
    push_each(session, members, lambda t: [m.referral_request(t, case, referral, city)])
    return referral


def may_answer(session: Session, referral: Referral, answer: str) -> bool:
    """Whether this answer follows from the referral's state, on an open case."""
    case = session.get(Case, referral.case_id)
    allowed = TRANSITIONS.get(referral.status, frozenset())
    return case is not None and case.status != "closed" and answer in allowed


def answer_referral(
    session: Session,
    referral: Referral,
    actor: LineUser,
    answer: str,
    now: datetime,
    city: City,
    reason: str | None = None,
    tell: bool = True,
) -> bool:
    """The provider's answer, recorded on the case and sent back to the specialists on it
    (``tell``: not when a specialist entered it); False (nothing changed) when it does not
    follow from the referral's state."""
    if not may_answer(session, referral, answer):
        return False
    referral.status, referral.answered_by, referral.answered_at = answer, actor.id, now
    referral.reason = reason if answer == "declined" else None
    case = session.get(Case, referral.case_id)
    record(
        session,
        case,
        actor,
        "referral_answer",
        now,
        referral=referral.id,
        org=referral.org,
        answer=answer,
    )
    ids = sorted({referral.requested_by, case.assignee_id} - {None}) if tell else []
    told = [session.get(LineUser, uid) for uid in ids]

    def answered(t) -> list:
        line = t.gettext(
            "{org} answered about {ref}: {answer}",
            org=referral.org,
            ref=case.reference,
            answer=t.gettext(labels.REFERRAL_LABELS[answer]),
        )
        if answer == "declined":
            line += "\n" + t.gettext("Open the case to read their reason.")
        return [buttons(line, [m.open_button(t, case)])]

    push_each(session, [u for u in told if u is not None], answered)
    return True
