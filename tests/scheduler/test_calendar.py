"""Business days, mornings and quiet hours: weekends, 成人の日, 年末年始, the city file."""

from datetime import UTC, date, datetime, time

import pytest

from bot.calendar import QuietHours, after_quiet_hours
from bot.city import load_city
from bot.config import SAMPLE_CITY
from bot.messaging.outbox import enqueue
from bot.storage.models import OutboxMessage
from tests.scheduler.conftest import jst

CALENDAR = load_city(SAMPLE_CITY).calendar
QUIET = QuietHours(time(20), time(8))


@pytest.mark.parametrize(
    ("day", "business"),
    [
        (date(2027, 1, 8), True),  # Friday
        (date(2027, 1, 9), False),  # Saturday
        (date(2027, 1, 11), False),  # 成人の日
        (date(2026, 12, 28), True),
        (date(2026, 12, 29), False),  # 年末年始 (the city file)
        (date(2027, 1, 3), False),
        (date(2027, 1, 4), True),
    ],
)
def test_business_days(day, business):
    assert CALENDAR.is_business_day(day) is business


def test_counting_business_days_skips_weekends_holidays_and_the_new_year():
    assert CALENDAR.business_day_after(date(2027, 1, 8)) == date(2027, 1, 12)
    assert CALENDAR.business_day_after(date(2026, 12, 28)) == date(2027, 1, 4)
    assert CALENDAR.business_day_before(date(2027, 1, 4)) == date(2026, 12, 28)
    assert CALENDAR.business_day_before(date(2027, 1, 12), 0) == date(2027, 1, 12)
    assert CALENDAR.business_days_between(date(2026, 12, 24), date(2027, 1, 14)) == 10


def test_the_morning_is_when_the_office_opens():
    assert CALENDAR.morning_of(date(2027, 1, 12)) == jst(2027, 1, 12, 8, 30).astimezone(UTC)
    assert CALENDAR.next_business_morning(jst(2027, 1, 8, 18)) == jst(2027, 1, 12, 8, 30)


def test_the_city_file_sets_closed_days_and_office_hours(tmp_path):
    city_file = tmp_path / "city.yaml"
    city_file.write_text(
        "areas: [{id: kita, name: 北地区}]\n"
        "calendar: {closed_days: ['08-13'], office_hours: '09:00-17:00'}\n",
        encoding="utf-8",
    )
    calendar = load_city(city_file).calendar
    assert not calendar.is_business_day(date(2027, 8, 13))
    assert calendar.is_business_day(date(2026, 12, 29))
    assert calendar.morning == time(9)


@pytest.mark.parametrize(
    ("moment", "released"),
    [
        (jst(2027, 1, 12, 19, 59), jst(2027, 1, 12, 19, 59)),
        (jst(2027, 1, 12, 20), jst(2027, 1, 13, 8)),
        (jst(2027, 1, 13, 3), jst(2027, 1, 13, 8)),
        (jst(2027, 1, 13, 8), jst(2027, 1, 13, 8)),
    ],
)
def test_quiet_hours_hold_until_their_end(moment, released):
    assert after_quiet_hours(moment, QUIET) == released
    assert after_quiet_hours(moment, None) == moment


def test_a_held_push_waits_but_an_urgent_one_goes_at_once():
    class Session(list):
        new = ()

        def connection(self):
            return self

        def execute(self, statement, rows):
            self.extend(rows)

    later = datetime(2099, 1, 1, tzinfo=UTC)
    session = Session()
    (held,) = enqueue(session, "U1", [{"type": "text", "text": "x"}], hold_until=later)
    (urgent,) = enqueue(
        session, "U1", [{"type": "text", "text": "x"}], hold_until=later, urgent=True
    )
    assert isinstance(held, OutboxMessage)
    assert held.next_attempt_at == later and urgent.next_attempt_at < later
