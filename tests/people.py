"""People the tests need, registered as an invite would register them (so they are what the
bot calls an active specialist: a LINE user with a standing staff record)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cases.invites import register
from bot.storage.models import LineUser, get_or_create_user


def register_specialist(session, line_user_id: str, kind: str = "basic") -> LineUser:
    user = get_or_create_user(session, line_user_id)
    register(
        session,
        user,
        role="specialist",
        specialist_type=kind,
        org="",
        area=None,
        now=datetime.now(UTC),
    )
    return user
