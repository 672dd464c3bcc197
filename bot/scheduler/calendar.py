"""Business days (weekends, national holidays, the city's closed days) and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.config import QuietHours
from bot.i18n import TOKYO
from bot.knowledge.schedule import CityCalendar, parse_time_range

MORNING = time(8, 30)  # when a business day's reminders go out (the office opens)
# 年末年始: the city file's `calendar: closed_days` replaces these.
NEW_YEAR_CLOSED = ("12-29", "12-30", "12-31", "01-01", "01-02", "01-03")


@dataclass(frozen=True)
class BusinessCalendar:
    city: CityCalendar
    morning: time = MORNING

    @classmethod
    def from_city(cls, city: dict) -> BusinessCalendar:
        """The city file's `calendar:` closed days, and its office hours' opening as morning."""
        settings = city.get("calendar") or {}
        closed = settings.get("closed_days")
        hours = settings.get("office_hours")
        morning = parse_time_range(hours)[0] if hours else MORNING
        return cls(
            CityCalendar.from_strings(NEW_YEAR_CLOSED if closed is None else closed), morning
        )

    def is_business_day(self, d: date) -> bool:
        return d.weekday() < 5 and not self.city.is_closed(d)

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
