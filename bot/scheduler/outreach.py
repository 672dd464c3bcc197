"""The clock and outreach consultations (出張相談): each parent with a booking is reminded the
day before, from the office's morning (once: a ReminderSent key per booking); the specialists'
morning digest lists the bookings of the day (and of the days until the next business morning)
by time, place and the child's stage — never who booked."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendar import BusinessCalendar, after_quiet_hours
from bot.city import City
from bot.i18n import Translator, _
from bot.outreach import service
from bot.scheduler.keys import remind_day_before
from bot.storage.models import LineUser
from bot.vocabulary import STAGE_LABELS

KIND = "outreach"
STAGE_UNKNOWN = _("stage not told")


def remind_bookings(parts, now: datetime) -> int:
    """The day before a booked consultation, from the office's morning: one push per booking."""
    until = after_quiet_hours(now, parts.quiet)
    hold = until if until > now else None
    return remind_day_before(
        parts, now, KIND, service.due_tomorrow, lambda s, b: service.remind(s, b, hold)
    )


def days_covered(calendar: BusinessCalendar, day: date) -> tuple[date, date]:
    """A business morning's digest covers its day and the closed days up to the next business
    day (Friday's covers the weekend)."""
    last = day
    while not calendar.is_business_day(last + timedelta(days=1)) and last - day < timedelta(14):
        last += timedelta(days=1)
    return day, last


def digest_lines(session: Session, calendar: BusinessCalendar, day: date, specialists, city: City):
    """Each specialist's lines for the morning of ``day``: the bookings in their area (all of
    them for a specialist of every area). ``specialists`` are (user id, staff) pairs.
    Returns {user id: function(Translator) → lines}."""
    first, last = days_covered(calendar, day)
    bookings = service.bookings_between(session, first, last)
    if not bookings:
        return {}
    parents = select(LineUser).where(LineUser.id.in_({b.user_id for b in bookings}))
    stages = {user.id: (user.profile or {}).get("stage") for user in session.scalars(parents)}
    by_user: dict[int, list] = defaultdict(list)
    for uid, staff in specialists:
        by_user[uid] = [b for b in bookings if staff.area in (None, b.area) or b.area is None]

    def lines_of(mine):
        def build(t: Translator) -> list[str]:
            out = []
            for b in mine:
                stage = stages.get(b.user_id)
                said = t.gettext(STAGE_LABELS[stage]) if stage in STAGE_LABELS else None
                when = f"{t.short_day(b.day)} {service.span(t, b)}"
                out.append(f"{when} {b.title}・{said or t.gettext(STAGE_UNKNOWN)}")
            return out

        return build

    return {uid: lines_of(mine) for uid, mine in by_user.items() if mine}
