"""The monthly summary: last month's figures pushed to the admins on the first business morning
of a month, once, with no family details; and monthly_summary() on its own."""

from __future__ import annotations

from bot.reports.period import Month
from bot.reports.summary import monthly_summary
from tests.scheduler.conftest import Clockwork, jst

HEADER = "Figures for"
SECRET_NOTE = "気になる家庭"  # the text Clockwork.file gives every note


def summaries(person) -> list[str]:
    return [m["text"] for m in person.replies() if m.get("text", "").startswith(HEADER)]


def test_admins_get_last_months_figures_on_the_first_business_morning_once(clock: Clockwork):
    for day in range(4, 10):  # six notes in January 2027
        clock.file(jst(2027, 1, day, 10))
    clock.tick(jst(2027, 1, 29, 9))
    admin = clock.cast.admin
    admin.replies()
    clock.tick(jst(2027, 2, 1, 8, 0))  # Monday 1 February, before the office opens
    assert summaries(admin) == []
    clock.tick(jst(2027, 2, 1, 8, 31))
    (text,) = summaries(admin)
    assert "January 2027" in text and "Concern notes filed: 6" in text
    assert "Cases opened: 6" in text and "closed: 0" in text
    assert SECRET_NOTE not in text
    clock.tick(jst(2027, 2, 1, 15))
    clock.tick(jst(2027, 2, 2, 9))
    assert summaries(admin) == []
    for person in (clock.cast.basic, clock.cast.member, clock.cast.parent):
        assert summaries(person) == []  # admins only


def test_a_month_starting_on_holidays_waits_for_its_first_business_day(clock: Clockwork):
    admin = clock.cast.admin
    clock.tick(jst(2027, 4, 30, 9))
    admin.replies()
    for day in (1, 3, 5):  # Saturday, 憲法記念日, こどもの日
        clock.tick(jst(2027, 5, day, 9))
    assert summaries(admin) == []
    clock.tick(jst(2027, 5, 6, 9))
    (text,) = summaries(admin)
    assert "April 2027" in text and "Concern notes filed: 0" in text


def test_small_counts_in_the_summary_are_masked(clock: Clockwork):
    for day in (4, 5):
        clock.file(jst(2027, 1, day, 10))
    with clock.db.reading() as session:
        text = monthly_summary(session, Month(2027, 1), clock.city, "en")
        ja = monthly_summary(session, Month(2027, 1), clock.city, "ja")
    assert "Concern notes filed: <5" in text and "Time to first contact (median): fewer" in text
    assert "2027年1月" in ja
