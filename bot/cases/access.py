"""Who may see what, and the audit trail of it. Checked on every command and tap; an id in a
button's data is never trusted. This room alone writes ``AuditEntry`` rows.

- parents: no cases at all;
- members: the status of their own notes, and referral requests to their organisation;
- specialists: cases in their scope — their area (or every area), or routed to or claimed by them;
  both types see each other's cases (the two work as one);
- admins: every case.

Reads that show a family's words (a note, a provider's reason, a consultation's words) go
through an ``audited`` function here, so no view goes unrecorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, true
from sqlalchemy.orm import Session

from bot.cases.models import AuditEntry, Case, ConcernNote, Referral, Staff
from bot.consultations.models import ConsultationRequest
from bot.storage.models import LineUser
from bot.vocabulary import Role

log = logging.getLogger(__name__)


def staff_of(session: Session, user: LineUser) -> Staff | None:
    """The user's active staff record, if their role still stands."""
    if user.role == Role.PARENT or not user.active:
        return None
    staff = session.scalar(select(Staff).where(Staff.user_id == user.id))
    if staff is None or not staff.active or staff.role != user.role:
        return None
    return staff


def staff_record(session: Session, user: LineUser) -> Staff | None:
    """The user's staff record as registered, standing or not (to name who filed a note)."""
    return session.scalar(select(Staff).where(Staff.user_id == user.id))


def in_scope(session: Session, user: LineUser, case: Case) -> bool:
    staff = staff_of(session, user)
    if staff is None:
        return False
    if staff.role == Role.ADMIN:
        return True
    if staff.role != Role.SPECIALIST:
        return False
    return (
        user.id in (case.lead_id, case.assignee_id) or staff.area is None or staff.area == case.area
    )


def scope_filter(staff: Staff, user: LineUser):
    """The same rule as ``in_scope``, as a WHERE clause for lists."""
    if staff.role == Role.ADMIN or staff.area is None:
        return true()
    return (Case.area == staff.area) | (Case.lead_id == user.id) | (Case.assignee_id == user.id)


def case_for(
    session: Session, user: LineUser, case_id: int | None, what: str, now: datetime
) -> Case | None:
    """The case a command names, if the user may see it; otherwise None, the refusal audited."""
    case = session.get(Case, case_id) if case_id else None
    if case is not None and in_scope(session, user, case):
        return case
    refuse(session, user, case_id, what, now)
    return None


def case_for_reporter(session: Session, user: LineUser, case_id: int, now: datetime) -> Case | None:
    """A member's own note, by reference: they may follow its status, never more."""
    case = session.get(Case, case_id)
    note = session.get(ConcernNote, case.note_id) if case else None
    if note is not None and note.reporter_id == user.id and staff_of(session, user) is not None:
        return case
    refuse(session, user, case_id, "reference", now)
    return None


def referral_for(
    session: Session, user: LineUser, referral_id: int | None, now: datetime
) -> Referral | None:
    """A referral request the user may answer: addressed to their organisation."""
    referral = session.get(Referral, referral_id) if referral_id else None
    staff = staff_of(session, user)
    if referral is not None and staff is not None and staff.role == Role.MEMBER:
        if staff.org == referral.org:
            return referral
    refuse(session, user, referral.case_id if referral else None, "ref_answer", now)
    return None


# ---------------------------------------------------------------- audited reads


@dataclass(frozen=True)
class CaseWords:
    """What a case holds in someone's own words: a member's note, or a parent's request (words
    and how to reach them), and the providers' reasons for declining."""

    note: ConcernNote | None
    request: ConsultationRequest | None
    reasons: list[tuple[str, str]]  # (organisation, words)


VIEW_ACTION = {"note": "view_note", "consult": "view_consult", "alert": "view_alert"}


def read_words(session: Session, user: LineUser, case: Case, now: datetime) -> CaseWords:
    """A case's words, for a user ``case_for`` let through; the view is audited."""
    detail = "" if case.kind == "note" else case.reference
    audit(session, user, VIEW_ACTION[case.kind], now, case_id=case.id, detail=detail)
    log.info("user %s read the words of case %s", user.id, case.id)
    reasons = session.scalars(
        select(Referral)
        .where(Referral.case_id == case.id, Referral.reason.is_not(None))
        .order_by(Referral.id)
    ).all()
    return CaseWords(
        session.get(ConcernNote, case.note_id) if case.note_id else None,
        session.get(ConsultationRequest, case.request_id) if case.request_id else None,
        [(r.org, r.reason) for r in reasons],
    )


def case_of_parent(session: Session, user: LineUser, case_id: int | None) -> Case | None:
    """A parent's own request or alert (to end a conversation with the specialist): never a
    note about them, and nothing of anyone else's."""
    case = session.get(Case, case_id) if case_id else None
    return case if case is not None and case.parent_id == user.id else None


def audit(
    session: Session,
    user: LineUser | None,
    action: str,
    now: datetime,
    *,
    case_id: int | None = None,
    detail: str = "",
) -> None:
    """Record who saw or did what, when: codes and ids only, never a family's words."""
    session.add(
        AuditEntry(
            actor_id=user.id if user else None,
            case_id=case_id,
            action=action,
            detail=detail[:40],
            at=now,
        )
    )


def refuse(session: Session, user: LineUser, case_id: int | None, what: str, now: datetime):
    audit(session, user, "refused", now, case_id=case_id, detail=what)
    log.warning("user %s (%s) refused %s on case %s", user.id, user.role, what, case_id)


def record_purged(session: Session, case_ids: list[int], now: datetime) -> None:
    """The audit trail outlives the cases: one entry per case the retention purge deleted."""
    session.execute(
        insert(AuditEntry),
        [
            {"actor_id": None, "case_id": cid, "action": "purged", "detail": "retention", "at": now}
            for cid in case_ids
        ],
    )
