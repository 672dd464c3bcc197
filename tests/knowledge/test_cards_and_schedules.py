"""Schedules (weekly, nth weekday, dates, holidays), card data and this week's salons."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.calendar import CityCalendar, parse_time
from bot.knowledge.cards import card_data, map_url, salons_this_week
from bot.knowledge.records import Entry, Place, Rule
from bot.knowledge.schedule import (
    occurs_on,
    parse_date,
    parse_weekdays,
    sessions,
)
from tests.knowledge.helpers import TODAY

CAL = CityCalendar.from_strings(["12-29", "12-30", "12-31", "01-01", "01-02", "01-03"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("月～金", ((0, 1, 2, 3, 4), ())),
        ("月・水・金", ((0, 2, 4), ())),
        ("平日", ((0, 1, 2, 3, 4), ())),
        ("第2・第4水曜日", ((2,), (2, 4))),
        ("毎月第1火曜日", ((1,), (1,))),
        ("土日祝", ((5, 6), ())),
        ("月曜日～土曜日（祝日を除く）", ((0, 1, 2, 3, 4, 5), ())),
        ("金〜月", ((0, 4, 5, 6), ())),
    ],
)
def test_parse_weekdays(text, expected):
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize("text", ["9:30", "09:30:00", "９：３０", "9時30分", "9時半"])
def test_parse_time(text):
    assert parse_time(text) == time(9, 30)


@pytest.mark.parametrize("text", ["25:00", "9:75", "夕方", ""])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_parse_date():
    assert parse_date("2026年4月1日") == parse_date("2026/4/1") == date(2026, 4, 1)


def test_nth_and_last_weekday():
    second_fourth_wed = Rule(weekdays=(2,), nth=(2, 4))
    december = [date(2026, 12, d) for d in range(1, 32)]
    assert [d.day for d in december if occurs_on(second_fourth_wed, d, CAL)] == [9, 23]
    last_friday = Rule(weekdays=(4,), nth=(-1,))
    assert [d.day for d in december if occurs_on(last_friday, d, CAL)] == [25]


def test_holidays_and_closed_days():
    weekdays = Rule(weekdays=(0, 1, 2, 3, 4))
    assert not occurs_on(weekdays, date(2026, 12, 29), CAL)  # the city's year-end closing
    assert not occurs_on(weekdays, date(2027, 1, 11), CAL)  # 成人の日
    assert occurs_on(Rule(weekdays=(0,), closed_on_holidays=False), date(2027, 1, 11), CAL)
    assert occurs_on(Rule(dates=(date(2027, 1, 11),)), date(2027, 1, 11), CAL)


def test_valid_range():
    rule = Rule(
        weekdays=tuple(range(7)), valid_from=date(2026, 12, 3), valid_until=date(2026, 12, 5)
    )
    assert [d.day for d in (date(2026, 12, n) for n in range(1, 8)) if occurs_on(rule, d, CAL)] == [
        3,
        4,
        5,
    ]


def test_sessions_in_order():
    entry = Entry(
        key="x",
        kind="salon",
        name="x",
        rules=(Rule(weekdays=(4,), start=time(13)), Rule(weekdays=(4,), start=time(10), note="朝")),
    )
    found = sessions(entry, TODAY, 7, CAL)
    assert [(s.day, s.start) for s in found] == [(TODAY, time(10)), (TODAY, time(13))]
    assert found[0].text == "11/27(金) 10:00〜 朝"


def test_map_url():
    with_point = Entry(
        key="a", kind="facility", name="a", place=Place("p", "p", lat=35.1, lng=137.2)
    )
    assert map_url(with_point).endswith("query=35.1,137.2")
    by_address = Entry(key="a", kind="facility", name="a", place=Place("p", "p", address="本町 1"))
    assert map_url(by_address).endswith("query=%E6%9C%AC%E7%94%BA%201")
    assert map_url(Entry(key="a", kind="service", name="a")) == ""


def test_card_data_has_everything_a_card_shows(sample_entries, city):
    entry = next(e for e in sample_entries if e.key == "kokekokko")
    card = card_data(entry, TODAY, city)
    assert card.name == "子育てサロン「こけこっこ」"
    assert card.what.startswith("東地区のお母さんたち")
    assert card.who.startswith("0歳・1〜2歳")
    assert card.when[0].startswith("12/9(水) 10:00〜11:30")  # 2nd Wednesday of December
    assert card.area == "東地区" and card.address.startswith("つなぐ市日の出町")
    assert card.map_url.startswith("https://www.google.com/maps/search/?api=1&query=35.")
    assert card.phone == "000-111-0502"  # the organization's phone when the entry has none
    assert card.booking and card.fee


def test_every_sample_salon_meets_in_the_coming_weeks(sample_entries, city):
    for entry in sample_entries:
        if entry.kind == "salon":
            assert card_data(entry, TODAY, city).when, entry.key


def test_salons_this_week_for_a_stage_and_area(sample_entries, city):
    found = salons_this_week(sample_entries, date(2026, 11, 30), city, stage="age0", area="kita")
    keys = {s.entry.key for s in found}
    assert "kita-jidokan-prog1" in keys  # ひよこクラブ, Thursdays
    assert "kita-jidokan-prog2" not in keys  # 1–2-year-olds only
    assert all(s.entry.area_id in (None, "kita") for s in found)
    assert all(date(2026, 11, 30) <= s.day <= date(2026, 12, 6) for s in found)
    assert found == sorted(found, key=lambda s: (s.day, s.start or time.min, s.entry.name))


@pytest.mark.parametrize(
    ("today", "passed"),
    [
        (date(2026, 10, 20), False),  # November is to come
        (date(2026, 11, 15), False),  # this month: still open
        (date(2026, 12, 1), True),
        (date(2027, 5, 31), True),
        (date(2027, 6, 1), False),  # half a year on: next November's
    ],
)
def test_a_passed_application_month_is_said(sample_entries, city, today, passed):
    entry = next(e for e in sample_entries if e.key == "hoikusho-moushikomi")
    closed = card_data(entry, today, city).closed
    assert (closed == "4月入園の一斉申込みは11月です") is passed, closed


def test_an_application_month_to_come_is_not_said_to_have_passed(sample_entries, city):
    entry = next(e for e in sample_entries if e.key == "hokago-moushikomi")  # 1月に一斉受付
    assert card_data(entry, date(2026, 12, 1), city).closed == ""
    assert card_data(entry, date(2027, 2, 3), city).closed == "新1年生は1月に一斉受付"


def test_regular_opening_days_replace_the_next_dates(sample_entries, city):
    nursery = next(e for e in sample_entries if e.key == "shisetsu-HOIKU-001")
    card = card_data(nursery, TODAY, city)
    assert card.opening == ["月〜土 07:00〜19:00"] and card.regular
    salon = next(e for e in sample_entries if e.key == "hiroba-hidamari")
    assert card_data(salon, TODAY, city).opening == ["月・水・金 10:00〜15:00"]


@pytest.mark.parametrize(
    ("booking", "today", "passed"),
    [
        ("申込みは11/20まで（先着順）", date(2026, 11, 27), True),
        ("申込みは11/30まで（先着順）", date(2026, 11, 27), False),
        ("申込締切 12月10日", date(2026, 11, 27), False),
        ("申込締切 12月10日", date(2026, 12, 11), True),
        ("予約不要", date(2026, 12, 11), False),
    ],
)
def test_a_booking_deadline_day_that_has_passed_is_said(booking, today, passed):
    entry = Entry(key="x", kind="event", name="クリスマス会", booking=booking)
    assert bool(card_data(entry, today).closed) is passed


def test_the_knowledge_base_keeps_a_day_s_cards_and_makes_new_ones_the_next_day(db, city):
    """Cards are kept per day (making one was a fifth of answering's CPU): the same card all
    day, the next day's sessions the next day, and the same data card_data makes."""
    from datetime import timedelta

    from bot.knowledge.importers import import_paths
    from bot.knowledge.service import KnowledgeBase

    assert import_paths(db, [city.path, *city.knowledge_files], city=city).ok
    kb = KnowledgeBase(db, city)
    entry = next(e for e in kb.of_kind("salon") if e.rules)
    first = kb.card(entry, TODAY)
    assert kb.card(entry, TODAY) is first
    assert first == card_data(entry, TODAY, city)
    later = TODAY + timedelta(days=8)
    next_week = kb.card(entry, later)
    assert next_week == card_data(entry, later, city)
    assert next_week.when != first.when  # a week on, the next sessions are other days
    assert kb.card(entry, TODAY) is not first  # the old day's cards were let go


def test_an_import_in_this_process_is_searched_at_once_when_the_knowledge_base_looks_again(
    db, city
):
    """Other processes' imports are seen within RECHECK_SECONDS; the admin page's own import
    (and a test's) asks to be seen at the next lookup."""
    from bot.knowledge.importers import import_paths
    from bot.knowledge.service import KnowledgeBase

    kb = KnowledgeBase(db, city)
    assert kb.of_kind("salon") == []  # looked at while empty
    assert import_paths(db, [city.path, *city.knowledge_files], city=city).ok
    assert kb.of_kind("salon") == []  # within RECHECK_SECONDS: the old look stands
    kb.look_again()
    assert kb.of_kind("salon")
