"""The monthly report's tables of what parents did themselves: outreach bookings by area and the
questions the bot could not answer, counted within the month and masked under five."""

from __future__ import annotations

from datetime import date

from bot.knowledge import gaps
from bot.outreach.models import BOOKED, CANCELLED, OutreachBooking
from bot.reports.monthly import build_report
from bot.reports.period import MASK, Month
from tests.reports.conftest import Seed

JANUARY = Month(2027, 1)


def _booking(seed: Seed, area: str, day: date, status: str, n: int) -> None:
    for i in range(n):
        parent = seed.user()
        seed.session.add(
            OutreachBooking(
                user_id=parent.id,
                entry_key=f"outreach-{area}",
                day=day,
                starts=f"{9 + i:02d}:00",  # one family per slot (the database refuses two)
                ends=f"{9 + i:02d}:30",
                title="出張相談",
                area=area,
                status=status,
            )
        )


def test_bookings_by_area_count_the_sessions_held_in_the_month(db, city):
    with db.transaction() as session:
        seed = Seed(session)
        _booking(seed, "kita", date(2027, 1, 12), BOOKED, 6)
        _booking(seed, "kita", date(2027, 1, 19), CANCELLED, 2)  # under five: masked
        _booking(seed, "minami", date(2027, 1, 26), BOOKED, 5)
        _booking(seed, "minami", date(2027, 2, 2), BOOKED, 7)  # February: not counted
        _booking(seed, "kita", date(2026, 12, 22), BOOKED, 9)  # December: not counted
    with db.reading() as session:
        table = build_report(session, JANUARY, city, language="en").table("outreach_bookings")
    by_area = {row[0]: row[1:] for row in table.rows}
    assert by_area["North (北地区)"] == [6, MASK]
    assert by_area["South (南地区)"] == [5, 0]
    for quiet in ("East (東地区)", "West (西地区)", "Central (中央地区)"):
        assert by_area[quiet] == [0, 0]


def test_unanswered_questions_by_how_they_went_unanswered(db, city):
    with db.transaction() as session:
        for day, kind, n in [
            (date(2027, 1, 5), gaps.NOTHING, 7),
            (date(2027, 1, 30), gaps.UNRELATED, 5),
            (date(2027, 1, 31), gaps.CLOSEST, 1),
            (date(2027, 2, 1), gaps.NOTHING, 9),  # February
        ]:
            for i in range(n):
                assert gaps.record(session, f"大人向けのピアノ教室はありますか{i}", kind, day)
    with db.reading() as session:
        table = build_report(session, JANUARY, city, language="ja").table("unanswered_questions")
    assert [row[1] for row in table.rows] == [7, MASK, MASK]  # 5 is hidden beside the 1
    assert "ピアノ" not in repr(table.rows)  # counts only: the words are on the page of their own
