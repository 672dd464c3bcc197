"""route_note: which specialist leads a new case (outline ③), and who else is told.

Pregnancy and age 0 → the 母子保健型 (mch) leads; from age 1 → the 基本型 (basic). Within the
lead type the specialist of the case's area comes first, then one covering every area; among
equals the one with the fewest open cases. The other type always sees the case too (both types
work as one): its specialists in scope get a push for information. An urgent note goes at once to
every specialist of the lead type who covers its area, and to the lead.

Only those who may open a case are told of it (``access.in_scope``: their area or every area, or
being its lead): a push never names a case its reader would be refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.cases.models import Case, Staff
from bot.cases.queries import load_of, specialists
from bot.storage.models import LineUser
from bot.vocabulary import SpecialistType, Urgency, lead_type_for


@dataclass
class Routing:
    lead: LineUser | None
    leads_told: list[LineUser] = field(default_factory=list)  # get the push with "for you"
    others_told: list[LineUser] = field(default_factory=list)  # the other type, for information


def _covers(staff: Staff, area: str | None) -> bool:
    return staff.area is None or staff.area == area


def route_note(session: Session, case: Case) -> Routing:
    """Set the case's lead type and lead; say who gets a push. The case must be flushed."""
    lead_type = SpecialistType(case.lead_type or lead_type_for(case.stage))
    case.lead_type = lead_type
    pool = specialists(session, lead_type)
    if not pool:  # nobody of the lead type: the other type takes it rather than nobody
        pool = specialists(session)

    def rank(pair: tuple[LineUser, Staff]):
        user, staff = pair
        closeness = 0 if staff.area == case.area else 1 if staff.area is None else 2
        return (closeness, load_of(session, user.id), user.id)

    ranked = sorted(pool, key=rank)
    lead = ranked[0][0] if ranked else None
    case.lead_id = lead.id if lead else None
    if case.urgency == Urgency.URGENT:
        leads_told = [user for user, staff in ranked if _covers(staff, case.area)]
        if lead and lead not in leads_told:
            leads_told.insert(0, lead)  # leading a case lets one open it
    else:
        leads_told = [lead] if lead else []
    told = {u.id for u in leads_told}
    others = [
        user
        for user, staff in specialists(session, lead_type.other)
        if _covers(staff, case.area) and user.id not in told
    ]
    return Routing(lead, leads_told, others)
