"""A network meeting (地域子育て支援ネットワーク), from scheduling to the reminder: the area's
members are invited, the specialist gets the agenda by reference, everyone is reminded the day
before by the clock."""

from datetime import UTC, datetime, timedelta

from bot.i18n import TOKYO
from bot.scheduler.tick import ClockParts, tick
from tests.cases.conftest import Cast


def test_a_meeting_from_scheduling_to_reminder(cast: Cast):
    cast.file_note("気になる 1歳の子、いつも同じ服で来る")  # on the agenda, by reference only
    basic = cast.basic
    basic.replies()
    basic.says("ネットワーク会議")
    assert basic.heard("Which area's network is meeting?")
    basic.taps("North (北地区)")
    day = (datetime.now(TOKYO) + timedelta(days=10)).date()
    picker = basic.button("Pick the day")
    basic.taps_data(picker["data"], {"date": day.isoformat()})
    basic.says("１４：００")  # typed, full-width
    basic.says("北地区公民館 2F 会議室")
    assert basic.heard("Invite the members of 北地区")
    basic.taps("Send invitations")
    assert basic.heard("1 members were invited")
    assert basic.heard("K-0001・Age 1–2・北地区") and not basic.heard("同じ服")
    (invitation,) = cast.member.replies()
    assert (
        "北地区公民館 2F 会議室" in invitation["text"] and "2:00" in invitation["text"]
    )  # en locale
    assert not cast.other_member.replies()  # 南地区's member is not invited

    parts = ClockParts.of(cast.bot.tsunagu)
    eve = datetime.combine(day - timedelta(days=1), datetime.min.time(), TOKYO)
    morning = (eve + timedelta(hours=10)).astimezone(UTC)
    assert tick(parts, morning)["meetings"] == 2  # the member and the specialist who called it
    assert tick(parts, morning + timedelta(hours=1))["meetings"] == 0  # once
    cast.bot.settle()
    (reminder,) = cast.member.replies()
    assert reminder["text"].startswith("Reminder: the 北地区 network meeting is tomorrow")


def test_a_day_in_the_past_is_asked_again(cast: Cast):
    cast.basic.says("ネットワーク会議")
    cast.basic.taps("North (北地区)")
    picker = cast.basic.button("Pick the day")
    cast.basic.taps_data(picker["data"], {"date": "2020-01-01"})
    assert cast.basic.heard("Please pick a day from today on.")
