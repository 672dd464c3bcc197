"""The case work's reads: who the active staff are, which cases a list shows, a case's history.

Reads only: changes go through ``workflow``, and anything that shows a family's words through
``access`` (which audits it). A list's scope is ``access.scope_filter``'s WHERE clause.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.cases.models import Case, CaseEvent, ConcernNote, Referral, Staff
from bot.storage.models import LineUser
from bot.vocabulary import Role, SpecialistType

LIST_LIMIT = 20  # cases a chat list shows (a text is at most 5,000 characters)


# ---------------------------------------------------------------- people


def active_staff(
    session: Session,
    role: Role,
    *,
    kind: SpecialistType | None = None,
    org: str | None = None,
) -> list[tuple[LineUser, Staff]]:
    """Staff of a role whose registration stands and who still follow the bot, by user id."""
    query = (
        select(LineUser, Staff)
        .join(Staff, Staff.user_id == LineUser.id)
        .where(
            Staff.role == role,
            Staff.active.is_(True),
            LineUser.active.is_(True),
            LineUser.role == role,
        )
        .order_by(LineUser.id)
    )
    if kind:
        query = query.where(Staff.specialist_type == kind)
    if org is not None:
        query = query.where(Staff.org == org)
    return [(user, staff) for user, staff in session.execute(query)]


def specialists(session: Session, kind: SpecialistType | None = None):
    return active_staff(session, Role.SPECIALIST, kind=kind)


def admins(session: Session) -> list[LineUser]:
    return [user for user, _staff in active_staff(session, Role.ADMIN)]


def org_members(session: Session, org: str) -> list[LineUser]:
    return [user for user, _staff in active_staff(session, Role.MEMBER, org=org)]


def provider_orgs(session: Session) -> list[str]:
    """Organisations with at least one active member: they can answer a referral request."""
    orgs = {staff.org for _user, staff in active_staff(session, Role.MEMBER) if staff.org}
    return sorted(orgs)


def reporter_of(session: Session, case: Case) -> LineUser | None:
    """The member who filed a note (a parent's own cases have none)."""
    note = session.get(ConcernNote, case.note_id) if case.note_id else None
    return session.get(LineUser, note.reporter_id) if note and note.reporter_id else None


# ---------------------------------------------------------------- cases


def carried_by(user_id: int):
    """Cases a specialist carries: claimed by them, or routed to them and not yet claimed."""
    return or_(Case.assignee_id == user_id, Case.assignee_id.is_(None) & (Case.lead_id == user_id))


def load_of(session: Session, user_id: int) -> int:
    """How many open cases a specialist carries."""
    return session.scalar(
        select(func.count()).select_from(Case).where(Case.status != "closed", carried_by(user_id))
    )


def open_cases_of(session: Session, user_id: int) -> list[Case]:
    query = select(Case).where(Case.status != "closed", carried_by(user_id)).order_by(Case.id)
    return list(session.scalars(query))


def follow_ups_due(session: Session, user_id: int, day: date) -> list[Case]:
    query = (
        select(Case)
        .where(Case.status != "closed", Case.follow_up_on <= day, carried_by(user_id))
        .order_by(Case.follow_up_on, Case.id)
    )
    return list(session.scalars(query))


def unclaimed(session: Session, scope) -> list[Case]:
    """Cases nobody has claimed, within ``scope`` (``access.scope_filter``)."""
    return list(session.scalars(select(Case).where(Case.status == "new", scope).order_by(Case.id)))


def filed_by(session: Session, reporter_id: int) -> list[Case]:
    """A member's notes, newest first."""
    query = (
        select(Case)
        .join(ConcernNote, ConcernNote.id == Case.note_id)
        .where(ConcernNote.reporter_id == reporter_id)
        .order_by(Case.id.desc())
        .limit(LIST_LIMIT)
    )
    return list(session.scalars(query))


def referrals_of(session: Session, case_id: int) -> list[Referral]:
    query = select(Referral).where(Referral.case_id == case_id).order_by(Referral.id)
    return list(session.scalars(query))


def recent_events(session: Session, case_id: int, limit: int = 5) -> list[CaseEvent]:
    """The case's last changes, oldest first."""
    query = (
        select(CaseEvent)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.id.desc())
        .limit(limit)
    )
    return list(reversed(session.scalars(query).all()))


def note_basis(session: Session, case: Case) -> str | None:
    note = session.get(ConcernNote, case.note_id) if case.note_id else None
    return note.legal_basis if note else None


def history_page(
    session: Session, case_id: int, page: int, size: int
) -> tuple[list[CaseEvent], bool]:
    """One page of a case's events, newest first, and whether there are older ones."""
    rows = list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.id.desc())
            .offset(page * size)
            .limit(size + 1)
        )
    )
    return rows[:size], len(rows) > size


def actor_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """How staff appear in a history: their name and organisation (as registered)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Staff.user_id, Staff.name, Staff.org, Staff.role).where(Staff.user_id.in_(user_ids))
    )
    return {uid: " ".join(x for x in (org, name) if x) or role for uid, name, org, role in rows}


def open_cases_of_parent(session: Session, parent_id: int, kind: str) -> list[Case]:
    query = select(Case).where(
        Case.parent_id == parent_id, Case.kind == kind, Case.status != "closed"
    )
    return list(session.scalars(query.order_by(Case.id)))
