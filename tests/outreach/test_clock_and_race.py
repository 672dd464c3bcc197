"""The clock and outreach bookings: the parent's reminder the day before (a fixed time, once),
the specialists' morning digest, retention; and two parents taking the last slot at the same
moment on two connections (PostgreSQL: the second insert waits for the first, then loses)."""

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.i18n import TOKYO
from bot.outreach import service
from bot.outreach.models import OutreachBooking
from bot.outreach.service import Booked
from bot.outreach.slots import Offer
from bot.scheduler.tick import ClockParts, tick
from bot.storage.models import LineUser, get_or_create_user
from tests.cases.conftest import register
from tests.outreach.conftest import bookings, offer_in, session_label

PARENT = "U" + "c1" * 16
BASIC_KITA = "U" + "c2" * 16
BASIC_SOUTH = "U" + "c3" * 16


def at_tokyo(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time(), TOKYO).replace(hour=hour, minute=minute)


def book_first_session(bot, parent, offer=None) -> OutreachBooking:
    parent.says("出張相談")
    parent.taps(session_label(offer) if offer else parent.buttons()[0])
    parent.taps("10:00")
    parent.taps("予約する")
    assert parent.heard("予約しました")
    (booking,) = bookings(bot)
    # Booked a week ago (the reminder is for bookings made before the day before).
    with bot.tsunagu.db.transaction() as session:
        session.execute(
            update(OutreachBooking).values(created_at=datetime.now(UTC) - timedelta(days=7))
        )
    return booking


def test_the_day_before_the_parent_is_reminded_once_and_can_cancel(city_bot):
    parent = city_bot.person(PARENT)
    booking = book_first_session(city_bot, parent)
    parent.replies()
    parts = ClockParts.of(city_bot.tsunagu)
    eve = booking.day - timedelta(days=1)
    assert tick(parts, at_tokyo(eve, 7, 0).astimezone(UTC))["bookings"] == 0  # before 08:30
    assert tick(parts, at_tokyo(eve, 9, 0).astimezone(UTC))["bookings"] == 1
    assert tick(parts, at_tokyo(eve, 10, 0).astimezone(UTC))["bookings"] == 0  # once
    assert tick(parts, at_tokyo(booking.day, 9, 0).astimezone(UTC))["bookings"] == 0
    city_bot.settle()
    (reminder,) = parent.replies()
    assert reminder["text"].startswith("【お知らせ】明日 ")
    assert "10:00〜10:30" in reminder["text"] and booking.title in reminder["text"]
    parent.taps("予約をキャンセル")
    assert parent.heard("この予約をキャンセルしますか？")
    parent.taps("予約をキャンセル")
    assert parent.heard("キャンセルしました")
    assert bookings(city_bot)[0].status == "cancelled"
    # The reminder's button again, now that there is nothing to cancel.
    parent.taps_data(reminder["quickReply"]["items"][0]["action"]["data"])
    assert parent.heard("その予約は変更できなくなっています。")


def test_a_cancelled_booking_or_one_made_that_day_gets_no_reminder(city_bot):
    parent = city_bot.person(PARENT)
    booking = book_first_session(city_bot, parent)
    with city_bot.tsunagu.db.transaction() as session:
        row = session.get(OutreachBooking, booking.id)
        row.created_at = at_tokyo(booking.day - timedelta(days=1), 8, 0).astimezone(UTC)
    parts = ClockParts.of(city_bot.tsunagu)
    eve = booking.day - timedelta(days=1)
    assert tick(parts, at_tokyo(eve, 9, 0).astimezone(UTC))["bookings"] == 0


def test_specialists_see_the_days_bookings_in_their_morning_digest(city_bot):
    parent = city_bot.person(PARENT)
    with city_bot.tsunagu.db.transaction() as session:
        get_or_create_user(session, PARENT).profile = {"stage": "age1_2"}
    booking = book_first_session(city_bot, parent, offer_in(city_bot, "kita"))
    kita = register(city_bot, BASIC_KITA, role="specialist", specialist_type="basic", area="kita")
    south = register(
        city_bot, BASIC_SOUTH, role="specialist", specialist_type="basic", area="minami"
    )
    kita.replies(), south.replies()
    parts = ClockParts.of(city_bot.tsunagu)
    day = booking.day
    while not parts.calendar.is_business_day(day):
        day -= timedelta(days=1)
    tick(parts, at_tokyo(day, 9, 0).astimezone(UTC))
    city_bot.settle()
    (morning,) = [m for m in kita.replies() if "Outreach consultations booked" in m.get("text", "")]
    assert "10:00–10:30" in morning["text"] and "Age 1–2" in morning["text"]
    assert booking.title in morning["text"]
    assert not any("Outreach consultations" in m.get("text", "") for m in south.replies())


def test_bookings_follow_retention(city_bot):
    parent = city_bot.person(PARENT)
    booking = book_first_session(city_bot, parent)
    parts = ClockParts.of(city_bot.tsunagu)
    assert (
        tick(parts, at_tokyo(booking.day + timedelta(days=30), 9).astimezone(UTC))[
            "purged_bookings"
        ]
        == 0
    )
    later = at_tokyo(booking.day + timedelta(days=91), 9).astimezone(UTC)
    assert tick(parts, later)["purged_bookings"] == 1
    assert bookings(city_bot) == []


@pytest.fixture
def last_slot(bot):
    """A session with two slots, the first held by another family: one slot is left."""
    day = datetime.now(TOKYO).date() + timedelta(days=3)
    offer = Offer(
        "outreach-test",
        day,
        "10:00",
        "11:00",
        "出張相談（テスト）",
        "北児童館",
        "",
        "kita",
        ("10:00", "10:30"),
        ("10:30",),
    )
    with bot.tsunagu.db.transaction() as session:
        users = [get_or_create_user(session, f"U{c * 32}") for c in "def"]
        session.flush()
        held = service.book(session, users[0], offer, "10:00", 30, datetime.now(UTC))
        assert held.result == Booked.BOOKED
        ids = [u.id for u in users[1:]]
    return offer, ids


def test_two_parents_tapping_the_last_slot_at_once_one_wins_one_is_told_full(bot, last_slot):
    offer, ids = last_slot
    db = bot.tsunagu.db
    if db.engine.dialect.name != "postgresql":  # SQLite lets one writer in at a time anyway
        pytest.skip("two writers at once need PostgreSQL")
    start = threading.Barrier(2)
    results: dict[int, Booked] = {}
    took: dict[int, float] = {}

    def tap(uid: int) -> None:
        with db.transaction() as session:
            user = session.get(LineUser, uid)
            start.wait(timeout=10)  # both connections are in a transaction: now both insert
            began = time.monotonic()
            results[uid] = service.book(session, user, offer, "10:30", 30, datetime.now(UTC)).result
            took[uid] = time.monotonic() - began
            time.sleep(0.3)  # hold the winner's transaction open while the other insert waits

    threads = [threading.Thread(target=tap, args=(uid,)) for uid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results.values()) == [Booked.BOOKED, Booked.FULL]
    loser = next(uid for uid, result in results.items() if result == Booked.FULL)
    assert took[loser] > 0.2  # its insert waited for the winner's transaction: truly at once
    standing = [b for b in bookings(bot) if b.starts == "10:30" and b.status == "booked"]
    assert len(standing) == 1
