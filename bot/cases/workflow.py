"""A case's life: filed → routed → claimed → actions, follow-ups, referrals → closed.

Each change writes a CaseEvent (who, when, what kind) and queues the pushes it causes in the
same transaction. The member who filed the note hears, in general words, when it is picked up
and when it is closed; providers hear a referral request with no family details.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases import labels
from bot.cases import messages as m
from bot.cases.models import Case, CaseEvent, ConcernNote, Referral, Staff
from bot.cases.routing import other_type, route_note
from bot.dialogs.engine import encode_postback
from bot.i18n import Translator, _
from bot.messaging.builders import buttons, postback, text
from bot.messaging.outbox import enqueue
from bot.storage.models import LineUser

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


def _push(session: Session, user: LineUser, messages: list, urgent: bool = False) -> None:
    if user.active:
        enqueue(session, user.line_user_id, messages, urgent=urgent)


# ---------------------------------------------------------------- filing and routing


def file_note(
    session: Session, reporter: LineUser, answers: dict, now: datetime, city: dict
) -> Case:
    """A member's note becomes a case, routed, with its pushes queued."""
    note = ConcernNote(
        reporter_id=reporter.id,
        text=answers["text"],
        stage=answers["stage"],
        birth_month=answers.get("birth_month"),
        area=answers["area"],
        urgency=answers["urgency"],
        legal_basis=answers["basis"],
        created_at=now,
    )
    session.add(note)
    session.flush()
    case = Case(
        note_id=note.id,
        stage=note.stage,
        area=note.area,
        urgency=note.urgency,
        lead_type="",
        status="new",
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    routing = route_note(session, case)
    record(
        session,
        case,
        reporter,
        "filed",
        now,
        basis=note.legal_basis,
        lead=routing.lead.id if routing.lead else None,
    )
    urgent = case.urgency == "urgent"
    for user in routing.leads_told:
        _push(
            session,
            user,
            [m.new_case_push(Translator(user.language), case, city, lead=True)],
            urgent,
        )
    for user in routing.others_told:
        _push(
            session,
            user,
            [m.new_case_push(Translator(user.language), case, city, lead=False)],
            urgent,
        )
    if routing.lead is None:
        log.error("case %s has no specialist to lead it: nobody registered", case.id)
    return case


# ---------------------------------------------------------------- the reporter hears back

PICKED_UP = _(
    "Thank you for your note {ref}. A specialist has picked it up and will take it from here."
)
CLOSED = _(
    "The specialists have finished their work on your note {ref}. "
    "Thank you for watching over the families around you."
)


def tell_reporter(session: Session, case: Case, message_id: str) -> None:
    note = session.get(ConcernNote, case.note_id)
    reporter = session.get(LineUser, note.reporter_id) if note and note.reporter_id else None
    if reporter is None or reporter.role == "parent":
        return
    t = Translator(reporter.language)
    _push(session, reporter, [text(t.gettext(message_id, ref=case.reference))])


# ---------------------------------------------------------------- a specialist's work


def claim(session: Session, case: Case, actor: LineUser, now: datetime) -> bool:
    """Take the case on; False when someone else already has it."""
    if case.assignee_id not in (None, actor.id) or case.status == "closed":
        return False
    first = case.assignee_id is None
    case.assignee_id, case.status = actor.id, "open"
    case.claimed_at = case.claimed_at or now
    record(session, case, actor, "claimed", now)
    if first:
        tell_reporter(session, case, PICKED_UP)
    return True


def log_action(session: Session, case: Case, actor: LineUser, kind: str, now: datetime) -> None:
    record(session, case, actor, "action", now, action=kind)


def set_follow_up(session: Session, case: Case, actor: LineUser, day: date, now: datetime):
    case.follow_up_on = day
    record(session, case, actor, "follow_up", now, on=day.isoformat())


def hand_over(session: Session, case: Case, actor: LineUser, now: datetime, city: dict):
    """To the other type (the child turned one …): routed afresh, unclaimed, the new lead told."""
    before = case.lead_type
    case.lead_type = other_type(before)
    case.assignee_id, case.status = None, "new"
    routing = route_note(session, case)
    record(
        session,
        case,
        actor,
        "handed_over",
        now,
        to=case.lead_type,
        lead=routing.lead.id if routing.lead else None,
    )
    for user in routing.leads_told:
        if user.id != actor.id:
            _push(
                session, user, [m.new_case_push(Translator(user.language), case, city, lead=True)]
            )


def close(session: Session, case: Case, actor: LineUser, outcome: str, now: datetime) -> None:
    started = session.scalars(
        select(Referral)
        .where(Referral.case_id == case.id, Referral.status.in_(("started", "accepted")))
        .order_by(Referral.status.desc(), Referral.id.desc())
    ).first()
    case.status, case.outcome, case.closed_at = "closed", outcome, now
    case.outcome_org = started.org if outcome == "connected" and started else None
    case.follow_up_on = None
    record(session, case, actor, "closed", now, outcome=outcome, org=case.outcome_org)
    tell_reporter(session, case, CLOSED)


# ---------------------------------------------------------------- referrals to providers


def provider_orgs(session: Session) -> list[str]:
    """Organisations with at least one active registered member: they can answer a request."""
    rows = session.scalars(
        select(Staff.org)
        .join(LineUser, LineUser.id == Staff.user_id)
        .where(
            Staff.role == "member",
            Staff.active.is_(True),
            LineUser.active.is_(True),
            Staff.org != "",
        )
        .distinct()
        .order_by(Staff.org)
    )
    return list(rows)


def org_members(session: Session, org: str) -> list[LineUser]:
    return list(
        session.scalars(
            select(LineUser)
            .join(Staff, Staff.user_id == LineUser.id)
            .where(
                Staff.org == org,
                Staff.role == "member",
                Staff.active.is_(True),
                LineUser.active.is_(True),
                LineUser.role == "member",
            )
            .order_by(LineUser.id)
        )
    )


ANSWERS = ("accepted", "started", "declined")
ANSWER_BUTTONS = {
    "accepted": _("Can accept"),
    "started": _("Started using"),
    "declined": _("Cannot (reason)"),
}


def referral_request(t: Translator, case: Case, referral: Referral, city: dict):
    body = t.gettext(
        "A specialist asks whether your organisation can take on a family "
        "({summary}). They will contact you with the details. Please answer:",
        summary=m.summary(t, case, city),
    )
    actions = [
        postback(
            t.gettext(label),
            encode_postback(cmd="ref_answer", ref=str(referral.id), a=a),
            t.gettext(label),
        )
        for a, label in ANSWER_BUTTONS.items()
    ]
    return buttons(body, actions, alt_text=t.gettext("Referral request {ref}", ref=case.reference))


def refer(
    session: Session, case: Case, actor: LineUser, org: str, now: datetime, city: dict
) -> Referral | None:
    members = org_members(session, org)
    if not members:
        return None
    referral = Referral(case_id=case.id, org=org, requested_by=actor.id, created_at=now)
    session.add(referral)
    session.flush()
    record(session, case, actor, "referred", now, referral=referral.id, org=org)
    for member in members:
        _push(
            session, member, [referral_request(Translator(member.language), case, referral, city)]
        )
    return referral


def may_answer(session: Session, user: LineUser, referral: Referral) -> bool:
    staff = session.scalar(select(Staff).where(Staff.user_id == user.id))
    return (
        staff is not None
        and staff.active
        and staff.role == "member" == user.role
        and staff.org == referral.org
    )


def answer_referral(
    session: Session,
    referral: Referral,
    actor: LineUser,
    answer: str,
    now: datetime,
    city: dict,
    reason: str | None = None,
) -> None:
    """The provider's answer: recorded on the case and sent back to the specialists on it."""
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
        words=None,
    )
    told = {uid for uid in (referral.requested_by, case.assignee_id) if uid}
    for uid in sorted(told):
        user = session.get(LineUser, uid)
        if user is None:
            continue
        t = Translator(user.language)
        line = t.gettext(
            "{org} answered about {ref}: {answer}",
            org=referral.org,
            ref=case.reference,
            answer=t.gettext(labels.REFERRAL_LABELS[answer]),
        )
        if answer == "declined":
            line += "\n" + t.gettext("Open the case to read their reason.")
        _push(
            session,
            user,
            [
                buttons(
                    line,
                    [
                        postback(t.gettext("Open"), m.case_data("case", case)),
                    ],
                )
            ],
        )
