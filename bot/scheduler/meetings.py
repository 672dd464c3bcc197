"""The clock reminds an area's network of its meeting the day before, from the office's morning
(once: a ReminderSent key per meeting)."""

from __future__ import annotations

from datetime import datetime

from bot.network import service
from bot.scheduler.keys import remind_day_before

KIND = "meeting"


def remind_meetings(parts, now: datetime) -> int:
    return remind_day_before(
        parts, now, KIND, service.due_tomorrow, lambda s, m: service.remind(s, m, parts.city)
    )
