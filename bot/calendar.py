"""The city's calendar: business days (weekends, national holidays, the city's closed days),
the office's morning, quiet hours, and the Tokyo day of a moment.

One ``BusinessCalendar`` per city, made when the city file is read (``bot.city``): the clock asks
it which mornings are business mornings, the knowledge base which days a salon is closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import jpholiday

from bot.i18n import TOKYO
from bot.typed import nfkc

MORNING = time(8, 30)  # when a business day's reminders go out (the office opens)
CLOSING = time(17, 15)  # when the office closes (a parent is told when to expect an answer)
# 年末年始: a city file's `calendar: closed_days` replaces these.
NEW_YEAR_CLOSED = ("12-29", "12-30", "12-31", "01-01", "01-02", "01-03")


@dataclass(frozen=True)
class QuietHours:
    """Hours when non-urgent pushes wait (``BOT_QUIET_HOURS``), possibly across midnight."""

    start: time
    end: time

    def contains(self, t: time) -> bool:
        if self.start <= self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end  # spans midnight, e.g. 20:00-08:00


@dataclass(frozen=True)
class CityCalendar:
    """National holidays plus the city's own closed days (e.g. 12-29 to 01-03)."""

    closed_days: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    @classmethod
    def from_strings(cls, days: Iterable[str]) -> CityCalendar:
        return cls(frozenset((int(d[:2]), int(d[3:5])) for d in days))

    def is_closed(self, d: date) -> bool:
        return (d.month, d.day) in self.closed_days or jpholiday.is_holiday(d)


@dataclass(frozen=True)
class BusinessCalendar:
    holidays: CityCalendar = field(
        default_factory=lambda: CityCalendar.from_strings(NEW_YEAR_CLOSED)
    )
    morning: time = MORNING
    closing: time = CLOSING

    def is_business_day(self, d: date) -> bool:
        return d.weekday() < 5 and not self.holidays.is_closed(d)

    def business_day_after(self, d: date, n: int = 1) -> date:
        """The n-th business day after d (n=1: the next one)."""
        while n > 0:
            d += timedelta(days=1)
            if self.is_business_day(d):
                n -= 1
        return d

    def business_day_before(self, d: date, n: int = 1) -> date:
        """The n-th business day before d (n=0: d itself)."""
        while n > 0:
            d -= timedelta(days=1)
            if self.is_business_day(d):
                n -= 1
        return d

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after start, up to and including end."""
        days, d = 0, start
        while d < end:
            d += timedelta(days=1)
            days += self.is_business_day(d)
        return days

    def morning_of(self, d: date) -> datetime:
        return datetime.combine(d, self.morning, TOKYO).astimezone(UTC)

    def in_office_hours(self, moment: datetime) -> bool:
        local = moment.astimezone(TOKYO)
        return self.is_business_day(local.date()) and self.morning <= local.time() < self.closing

    def next_office_opening(self, moment: datetime) -> datetime:
        """When the office next opens after this moment (a moment in office hours is its own)."""
        if self.in_office_hours(moment):
            return moment
        return self.next_business_morning(moment)

    def next_business_morning(self, moment: datetime) -> datetime:
        """The first business-day morning at or after this moment."""
        local = moment.astimezone(TOKYO)
        d = local.date()
        if self.is_business_day(d) and local.time() <= self.morning:
            return self.morning_of(d)
        return self.morning_of(self.business_day_after(d))


def local_day(moment: datetime) -> date:
    """The date in Asia/Tokyo."""
    return moment.astimezone(TOKYO).date()


def start_of(d: date) -> datetime:
    """Midnight at the start of d in Asia/Tokyo, in UTC (a bound for stored times)."""
    return datetime.combine(d, time(), TOKYO).astimezone(UTC)


def after_quiet_hours(moment: datetime, quiet: QuietHours | None) -> datetime:
    """The moment itself, or the end of the quiet hours it falls in (Asia/Tokyo)."""
    if quiet is None:
        return moment
    local = moment.astimezone(TOKYO)
    if not quiet.contains(local.time()):
        return moment
    end = datetime.combine(local.date(), quiet.end, TOKYO)
    if end <= local:  # quiet hours span midnight and we are before it
        end += timedelta(days=1)
    return end.astimezone(UTC)


# ---------------------------------------------------------------- reading times as people write

_TIME = re.compile(r"^(\d{1,2})(?::(\d{2})(?::\d{2})?|時(?:(\d{1,2})分|半)?)$")


def parse_time(text: str) -> time:
    """'9:30', '09:30:00', '９：３０', '9時30分', '9時半' → time; ValueError otherwise."""
    m = _TIME.match(nfkc(text).replace(" ", ""))
    if not m:
        raise ValueError(text)
    hour = int(m[1])
    minute = int(m[2] or m[3] or (30 if "半" in m[0] else 0))
    if hour == 24 and minute == 0:
        return time(23, 59)
    return time(hour, minute)  # raises ValueError for 25:00 or 9:75


def parse_time_range(text: str) -> tuple[time, time | None]:
    """'10:00-15:00' or '10:00〜' → (start, end)."""
    parts = re.split(r"\s*[-~〜～－]\s*", nfkc(text).replace("〜", "~"))
    if not parts[0] or len(parts) > 2:
        raise ValueError(text)
    end = parse_time(parts[1]) if len(parts) == 2 and parts[1] else None
    return parse_time(parts[0]), end
