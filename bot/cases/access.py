"""Who may see what. Checked on every command and tap; a postback's case id is never trusted.

- parents: no cases at all;
- members: the status of their own notes, and referral requests to their organisation;
- specialists: cases in their scope — their area (or every area), or routed to or claimed by them;
  both types see each other's cases (the two work as one);
- admins: every case.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from bot.cases.models import AuditEntry, Case, Staff
from bot.storage.models import LineUser

log = logging.getLogger(__name__)


def staff_of(session: Session, user: LineUser) -> Staff | None:
    """The user's active staff record, if their role still stands."""
    if user.role == "parent" or not user.active:
        return None
    staff = session.scalar(select(Staff).where(Staff.user_id == user.id))
    if staff is None or not staff.active or staff.role != user.role:
        return None
    return staff


def in_scope(session: Session, user: LineUser, case: Case) -> bool:
    staff = staff_of(session, user)
    if staff is None:
        return False
    if staff.role == "admin":
        return True
    if staff.role != "specialist":
        return False
    return (
        user.id in (case.lead_id, case.assignee_id) or staff.area is None or staff.area == case.area
    )


def scope_filter(staff: Staff, user: LineUser):
    """The same rule as ``in_scope``, as a WHERE clause for lists."""
    if staff.role == "admin" or staff.area is None:
        return true()
    return (Case.area == staff.area) | (Case.lead_id == user.id) | (Case.assignee_id == user.id)


def case_for(session: Session, user: LineUser, raw_id: str | None, what: str, now: datetime):
    """The case a command names, if the user may see it; otherwise None, and the refusal audited."""
    case_id = int(raw_id) if raw_id and raw_id.isdigit() and len(raw_id) < 10 else None
    case = session.get(Case, case_id) if case_id else None
    if case is not None and in_scope(session, user, case):
        return case
    refuse(session, user, case_id, what, now)
    return None


def refuse(session: Session, user: LineUser, case_id: int | None, what: str, now: datetime):
    session.add(
        AuditEntry(actor_id=user.id, case_id=case_id, action="refused", detail=what, at=now)
    )
    log.warning("user %s (%s) refused %s on case %s", user.id, user.role, what, case_id)
