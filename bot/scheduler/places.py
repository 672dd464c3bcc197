"""The clock asks providers about their places (空き状況) again when their last answer is older
than the city file allows (``providers: availability_max_age_days``): on a business day, from
the office's morning, once per period (a ReminderSent key). A provider nobody has asked yet is
left to the specialists: the clock keeps answers current, it does not start the questions."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.calendar import local_day
from bot.cases import availability, queries
from bot.scheduler.keys import decide
from bot.scheduler.models import ReminderSent

KIND = "availability"


def subject_of(org: str) -> int:
    """A stable number for an organisation's name (the key's subject is an integer)."""
    return zlib.crc32(org.encode("utf-8")) & 0x7FFFFFFF


def ask_stale_availability(parts, now: datetime) -> int:
    """Ask the providers whose answer about places has aged; return how many were asked."""
    today = local_day(now)
    if not parts.calendar.is_business_day(today) or now < parts.calendar.morning_of(today):
        return 0
    max_age = timedelta(days=parts.city.availability_max_age_days)
    with parts.db.reading() as session:
        orgs = queries.provider_orgs(session)
        known = availability.latest(session, orgs)
        aged = [o for o in orgs if o in known and known[o].answered_at < now - max_age]
        asked_lately = set(
            session.scalars(
                select(ReminderSent.subject_id).where(
                    ReminderSent.kind == KIND, ReminderSent.at >= now - max_age
                )
            )
        )
    due = [o for o in aged if subject_of(o) not in asked_lately]
    if not due:
        return 0
    with parts.db.transaction() as session:
        new = decide(session, parts.db, [(KIND, subject_of(o), today) for o in due], now)
        asked = [o for o in due if (KIND, subject_of(o), today) in new]
        for org in asked:
            availability.ask(session, org)
    return len(asked)
