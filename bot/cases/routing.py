"""route_note: which specialist leads a new case (outline ③), and who else is told.

Pregnancy and age 0 → the 母子保健型 (mch) leads; from age 1 → the 基本型 (basic). Within the
lead type the specialist of the case's area comes first, then one covering every area; among
equals the one with the fewest open cases. The other type always sees the case too (both types
work as one): its specialists in scope get a push for information. An urgent note goes to every
specialist of the lead type at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.cases.models import Case, Staff
from bot.storage.models import LineUser

MCH_STAGES = ("pregnancy", "age0")


def lead_type_for(stage: str) -> str:
    return "mch" if stage in MCH_STAGES else "basic"


def other_type(kind: str) -> str:
    return "basic" if kind == "mch" else "mch"


@dataclass
class Routing:
    lead: LineUser | None
    leads_told: list[LineUser] = field(default_factory=list)  # get the push with "for you"
    others_told: list[LineUser] = field(default_factory=list)  # the other type, for information


def specialists(session: Session, kind: str | None = None) -> list[tuple[LineUser, Staff]]:
    query = (
        select(LineUser, Staff)
        .join(Staff, Staff.user_id == LineUser.id)
        .where(
            Staff.role == "specialist",
            Staff.active.is_(True),
            LineUser.active.is_(True),
            LineUser.role == "specialist",
        )
        .order_by(LineUser.id)
    )
    if kind:
        query = query.where(Staff.specialist_type == kind)
    return [(user, staff) for user, staff in session.execute(query)]


def carried_by(user_id: int):
    """Cases a specialist carries: claimed by them, or routed to them and not yet claimed."""
    return or_(Case.assignee_id == user_id, Case.assignee_id.is_(None) & (Case.lead_id == user_id))


def load_of(session: Session, user_id: int) -> int:
    """How many open cases a specialist carries."""
    return session.scalar(
        select(func.count()).select_from(Case).where(Case.status != "closed", carried_by(user_id))
    )


def _covers(staff: Staff, area: str) -> bool:
    return staff.area is None or staff.area == area


def route_note(session: Session, case: Case) -> Routing:
    """Set the case's lead type and lead; say who gets a push. The case must be flushed."""
    case.lead_type = case.lead_type or lead_type_for(case.stage)
    pool = specialists(session, case.lead_type)
    if not pool:  # nobody of the lead type: the other type takes it rather than nobody
        pool = specialists(session)

    def rank(pair: tuple[LineUser, Staff]):
        user, staff = pair
        closeness = 0 if staff.area == case.area else 1 if staff.area is None else 2
        return (closeness, load_of(session, user.id), user.id)

    ranked = sorted(pool, key=rank)
    lead = ranked[0][0] if ranked else None
    case.lead_id = lead.id if lead else None
    if case.urgency == "urgent":
        leads_told = [user for user, _staff in ranked]
    else:
        leads_told = [lead] if lead else []
    told = {u.id for u in leads_told}
    others = [
        user
        for user, staff in specialists(session, other_type(case.lead_type))
        if _covers(staff, case.area) and user.id not in told
    ]
    return Routing(lead, leads_told, others)
