"""The clock reminds an area's network of its meeting the day before, from the office's morning
(once: a ReminderSent key per meeting)."""

from __future__ import annotations

from datetime import datetime

from bot.calendar import local_day
from bot.network import service
from bot.scheduler.keys import decide

KIND = "meeting"


def remind_meetings(parts, now: datetime) -> int:
    today = local_day(now)
    if now < parts.calendar.morning_of(today):
        return 0
    with parts.db.reading() as session:
        due = [m.id for m in service.due_tomorrow(session, now)]
    if not due:
        return 0
    reminded = 0
    with parts.db.transaction() as session:
        new = decide(session, parts.db, [(KIND, mid, today) for mid in due], now)
        for meeting in service.due_tomorrow(session, now):
            if (KIND, meeting.id, today) in new:
                reminded += service.remind(session, meeting, parts.city)
    return reminded
