"""The simulator's staff: its member and specialists, registered as an invite would (local mode).

``python -m bot invite seed-simulator`` (run by ``make run``) calls ``seed_simulator_staff``, so
that the simulator's personas can file notes and work cases from the first minute.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.cases.invites import register
from bot.cases.models import Staff
from bot.city import City
from bot.simulator.page import PERSONAS
from bot.storage.db import Database
from bot.storage.models import get_or_create_user
from bot.vocabulary import Role, SpecialistType

SIMULATOR_STAFF = (
    # (persona id, role, type, organisation key in the city file, fallback name, area)
    ("member", Role.MEMBER, None, "npo-hagu", "はぐＨＵＧ", "kita"),
    (
        "specialist",
        Role.SPECIALIST,
        SpecialistType.BASIC,
        "kosodate-shien-center",
        "子育て支援センター",
        None,
    ),
    ("specialist_mch", Role.SPECIALIST, SpecialistType.MCH, "hoken-center", "保健センター", None),
)


def seed_simulator_staff(db: Database, city: City, now: datetime | None = None) -> int:
    """Register the simulator's member and specialists; return how many were new."""
    now = now or datetime.now(UTC)
    user_ids = {persona: uid for persona, _label, uid in PERSONAS}
    created = 0
    with db.transaction() as session:
        for persona, role, kind, org_key, fallback, area in SIMULATOR_STAFF:
            if persona not in user_ids:
                continue
            user = get_or_create_user(session, user_ids[persona])
            if session.scalar(select(Staff).where(Staff.user_id == user.id)) is not None:
                continue
            register(
                session,
                user,
                role=role,
                specialist_type=kind,
                org=city.organization_name(org_key) or fallback,
                area=area if area in city.area_ids else None,
                now=now,
            )
            created += 1
    return created
