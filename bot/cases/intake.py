"""How a case begins: a member's concern note (K), a parent's request for a specialist (S), a
danger signal in a parent's message (A). Each is routed (``routing``) and its pushes queued in
the same transaction; pushes say what kind, never anyone's words.

A parent's danger signals are bundled: one alert case per parent while it is open, one page per
``ALERT_WINDOW``, and no more than ``ALERT_PUSH_CAP`` alert pages an hour city-wide (past the cap
the clock's hourly escalation of unclaimed urgent cases speaks for them). A flood of messages,
or of people, never pages every specialist once a message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases import messages as m
from bot.cases.models import Case, CaseEvent, ConcernNote
from bot.cases.routing import route_note
from bot.cases.workflow import record
from bot.city import City
from bot.intents import FileNote
from bot.messaging.outbox import push_each
from bot.storage.models import LineUser
from bot.vocabulary import CaseKind, LegalBasis, Urgency

log = logging.getLogger(__name__)

ALERT_WINDOW = timedelta(hours=6)
ALERT_PUSH_CAP = 30  # alert pages an hour, city-wide


def _new_case(session: Session, now: datetime, **fields) -> Case:
    case = Case(lead_type="", status="new", version=1, created_at=now, updated_at=now, **fields)
    session.add(case)
    session.flush()
    return case


def file_note(
    session: Session, reporter: LineUser, filed: FileNote, now: datetime, city: City
) -> Case:
    """A member's note becomes a case, routed, with its pushes queued. A report of suspected
    abuse (通告), or a note with danger signs, is urgent whatever the member chose."""
    urgent = filed.basis == LegalBasis.REPORT or filed.danger
    urgency = Urgency.URGENT if urgent else filed.urgency
    note = ConcernNote(
        reporter_id=reporter.id,
        text=filed.text,
        stage=filed.stage,
        birth_month=filed.birth_month,
        area=filed.area,
        urgency=urgency,
        legal_basis=filed.basis,
        created_at=now,
    )
    session.add(note)
    session.flush()
    case = _new_case(
        session,
        now,
        kind=CaseKind.NOTE,
        note_id=note.id,
        stage=note.stage,
        area=note.area,
        urgency=urgency,
    )
    routing = route_note(session, case)
    lead_id = routing.lead.id if routing.lead else None
    record(session, case, reporter, "filed", now, basis=note.legal_basis, lead=lead_id)
    urgent = case.urgency == Urgency.URGENT
    for told, lead in ((routing.leads_told, True), (routing.others_told, False)):
        push_each(
            session,
            told,
            lambda t, lead=lead: [m.new_case_push(t, case, city, lead=lead)],
            urgent=urgent,
        )
    if routing.lead is None:
        log.error("case %s has no specialist to lead it: nobody registered", case.id)
    return case


def file_request(
    session: Session, parent: LineUser, request_id: int, topic: str, now: datetime, city: City
) -> Case:
    """A parent's request becomes a case of its own kind, routed like a note (stage → type,
    area → person); only the lead type is told, since the parent asked for one person."""
    profile = parent.profile or {}
    case = _new_case(
        session,
        now,
        kind=CaseKind.CONSULT,
        request_id=request_id,
        parent_id=parent.id,
        language=parent.language,
        stage=profile.get("stage"),
        area=profile.get("area"),
        urgency=Urgency.NORMAL,
        detail={"topic": topic},
    )
    routing = route_note(session, case)
    record(session, case, parent, "filed", now, topic=topic)
    push_each(session, routing.leads_told, lambda t: [m.new_request_push(t, case, city)])
    return case


def raise_alert(
    session: Session, parent: LineUser, categories: frozenset[str], now: datetime, city: City
) -> Case:
    """A danger signal from a parent: their open alert case, or a new one; paged at most once a
    window (and under the city-wide cap)."""
    case = session.scalars(
        select(Case)
        .where(Case.kind == CaseKind.ALERT, Case.parent_id == parent.id, Case.status != "closed")
        .order_by(Case.id.desc())
    ).first()
    signals = sorted(categories)
    if case is None:
        profile = parent.profile or {}
        case = _new_case(
            session,
            now,
            kind=CaseKind.ALERT,
            parent_id=parent.id,
            language=parent.language,
            stage=profile.get("stage"),
            area=profile.get("area"),
            urgency=Urgency.URGENT,
            detail={"categories": signals},
        )
        route_note(session, case)
        record(session, case, None, "filed", now, categories=signals)
    else:
        seen = set(case.detail.get("categories", ()))
        case.detail = {**case.detail, "categories": sorted(seen | set(signals))}
        record(session, case, None, "signal", now, categories=signals)
    if _paged_since(session, now - ALERT_WINDOW, case.id):
        return case  # bundled: the specialists already know this parent needs them
    if _paged_since(session, now - timedelta(hours=1)) >= ALERT_PUSH_CAP:
        log.warning("alert %s not paged: %d pages this hour already", case.id, ALERT_PUSH_CAP)
        return case
    routing = route_note(session, case) if case.status == "new" else None
    told = routing.leads_told if routing else []
    if not told and case.assignee_id:
        told = [session.get(LineUser, case.assignee_id)]
    record(session, case, None, "alerted", now, to=len(told))
    push_each(session, told, lambda t: [m.new_alert_push(t, case, city)], urgent=True)
    return case


def _paged_since(session: Session, since: datetime, case_id: int | None = None) -> int:
    query = (
        select(func.count())
        .select_from(CaseEvent)
        .where(CaseEvent.kind == "alerted", CaseEvent.at >= since)
    )
    if case_id is not None:
        query = query.where(CaseEvent.case_id == case_id)
    return session.scalar(query)
