"""Outreach consultations (出張相談) as a parent lives them: the sessions near them, a slot
booked and confirmed, their bookings, a cancel — in Japanese and in English — and taps that
were never offered."""

from sqlalchemy import select

from bot.messaging.postback import DialogEntry, DialogTap
from bot.storage.models import Conversation, LineUser
from tests.outreach.conftest import bookings, hold_slots, session_label, soonest_offer

PARENT = "U" + "b1" * 16
OTHER = "U" + "b2" * 16


def test_a_parent_books_a_slot_in_japanese_and_gets_a_confirmation(city_bot):
    parent = city_bot.person(PARENT)
    offer = soonest_offer(city_bot)
    parent.says("出張相談")
    assert parent.heard("出張相談: 専門員（利用者支援専門員）がお近くの施設に出向き")
    assert parent.heard(offer.place) and parent.heard("空き4")
    first = parent.buttons()[0]
    assert offer.place[:5] in first
    parent.taps(first)
    assert parent.heard(f"【{offer.name}】") and parent.heard(
        "ご希望の時間を選んでください（30分）"
    )
    assert parent.buttons() == ["10:00", "10:30", "11:00", "11:30", "ほかの回"]
    parent.taps("10:30")
    assert parent.heard("この内容で予約しますか？") and parent.heard("10:30〜11:00")
    parent.taps("予約する")
    assert parent.heard("予約しました。出張相談:") and parent.heard("前日にお知らせします")
    assert parent.heard(offer.address)
    (booking,) = bookings(city_bot)
    assert (booking.entry_key, booking.day, booking.starts, booking.ends) == (
        offer.key,
        offer.day,
        "10:30",
        "11:00",
    )
    # The slot is no longer offered to anyone else.
    other = city_bot.person(OTHER)
    other.says("出張相談")
    assert other.heard("空き3")
    other.taps(other.buttons()[0])
    assert "10:30" not in other.buttons() and "10:00" in other.buttons()


def test_in_english_a_parent_books_then_cancels_from_their_bookings(city_bot):
    parent = city_bot.person(PARENT)
    parent.follows()
    parent.taps("English")
    parent.says("help")
    parent.taps("Outreach sessions")  # from the help's buttons
    assert parent.heard("Outreach consultations (出張相談): a specialist")
    parent.taps(parent.buttons()[0])
    parent.taps("11:00")
    parent.taps("Book")
    assert parent.heard("Booked. Your outreach consultation:")
    assert parent.heard("11:00–11:30") and parent.heard("I will remind you the day before")
    parent.says("予約")
    assert parent.heard("Your outreach consultation bookings:")
    (cancel,) = [b for b in parent.buttons() if b.startswith("Cancel")]
    parent.taps(cancel)
    assert parent.heard("Cancel this booking?")
    parent.taps("Keep it")
    assert parent.heard("OK, your booking stands.")
    assert bookings(city_bot)[0].status == "booked"
    parent.says("my bookings")
    parent.taps(cancel)
    parent.taps("Cancel booking")
    assert parent.heard("Cancelled:") and parent.buttons() == ["Outreach sessions"]
    assert bookings(city_bot)[0].status == "cancelled"
    parent.says("予約")
    assert parent.heard("You have no outreach consultation bookings coming up.")
    parent.says("出張相談")
    assert parent.heard("4 free")  # the cancelled slot is free again


def test_a_slot_taken_meanwhile_is_said_and_the_others_offered(city_bot):
    offer = soonest_offer(city_bot)
    parent, other = city_bot.person(PARENT), city_bot.person(OTHER)
    parent.says("出張相談")
    parent.taps(parent.buttons()[0])
    parent.taps("10:00")
    other.says("出張相談")
    other.taps(other.buttons()[0])
    other.taps("10:00")
    other.taps("予約する")
    parent.taps("予約する")
    assert parent.heard("すみません、10:00の枠はたった今ほかの方が予約しました。")
    assert parent.buttons() == ["10:30", "11:00", "11:30", "ほかの回"]  # the same session
    assert [b.starts for b in bookings(city_bot)] == ["10:00"]
    assert parent.heard(f"【{offer.name}】")


def test_the_last_slot_taken_meanwhile_says_the_session_is_full(city_bot):
    offer = soonest_offer(city_bot)
    hold_slots(city_bot, offer, offer.slots[:-1])
    parent, other = city_bot.person(PARENT), city_bot.person(OTHER)
    for person in (parent, other):
        person.says("出張相談")
        person.taps(person.buttons()[0])
        person.taps(offer.slots[-1])
    other.taps("予約する")
    assert other.heard("予約しました")
    parent.taps("予約する")
    assert parent.heard("すみません、その回はたった今満員になりました。")
    assert parent.heard("満員")  # the session is listed as full, and not offered as a button
    # (the same place's later sessions may be offered: only this one is full)
    assert session_label(offer) not in parent.buttons()


def test_a_forged_or_stale_tap_gets_the_question_again(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("出張相談")
    parent.taps(parent.buttons()[0])
    asked = parent.buttons()
    with city_bot.tsunagu.db.transaction() as session:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == PARENT))
        conv = session.get(Conversation, user.id)
        dialog, step, sid = conv.dialog, conv.step, conv.session
    parent.taps_data(DialogTap(dialog, step, sid, "09:00").pack())  # never offered
    assert parent.heard("下のボタンから選んでください") and parent.buttons() == asked
    parent.taps_data(DialogTap(dialog, step, "00000000", "10:00").pack())  # an older session
    assert parent.heard("そのボタンは期限切れです")
    assert parent.buttons() == asked
    assert bookings(city_bot) == []


def test_one_family_one_slot_per_session(city_bot):
    parent = city_bot.person(PARENT)
    for slot in ("10:00", "11:00"):
        parent.says("出張相談")
        parent.taps(parent.buttons()[0])
        parent.taps(slot)
        parent.taps("予約する")
    assert parent.heard("この回はすでにご予約があります")
    assert [b.starts for b in bookings(city_bot)] == ["10:00"]


def test_the_rich_menus_ask_a_specialist_leads_to_the_sessions_too(city_bot):
    parent = city_bot.person(PARENT)
    parent.taps_data(DialogEntry("consult").pack())  # the rich menu's 「専門員に相談」
    assert "出張相談で会う" in parent.buttons()
    parent.taps("出張相談で会う")
    assert parent.heard("出張相談: 専門員（利用者支援専門員）がお近くの施設に出向き")


def test_a_cancel_button_for_someone_elses_booking_changes_nothing(city_bot):
    from bot.messaging.postback import BookingTap, Command

    parent, other = city_bot.person(PARENT), city_bot.person(OTHER)
    parent.says("出張相談")
    parent.taps(parent.buttons()[0])
    parent.taps("10:00")
    parent.taps("予約する")
    (booking,) = bookings(city_bot)
    other.taps_data(BookingTap(Command.CANCEL_BOOKING, booking.id).pack())  # forged
    assert other.heard("その予約は変更できなくなっています。")
    assert other.heard("今後の出張相談のご予約はありません。")
    assert bookings(city_bot)[0].status == "booked"
    # Their own list offers only their own bookings; a value never offered is asked again.
    parent.says("予約")
    asked = parent.buttons()
    with city_bot.tsunagu.db.transaction() as session:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == PARENT))
        conv = session.get(Conversation, user.id)
        forged = DialogTap(conv.dialog, conv.step, conv.session, str(booking.id + 1)).pack()
    parent.taps_data(forged)
    assert parent.heard("下のボタンから選んでください") and parent.buttons() == asked
