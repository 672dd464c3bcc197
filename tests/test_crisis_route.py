"""Danger signals get the emergency routes at once, from any dialog, and alert the specialists."""

import logging

from sqlalchemy import select

from bot.storage.models import OutboxMessage
from tests.people import register_specialist

PARENT = "U" + "1" * 32
SPECIALIST = "U" + "2" * 32


def make_specialist(bot, user_id=SPECIALIST):
    with bot.tsunagu.db.transaction() as session:
        register_specialist(session, user_id)


def test_danger_in_the_middle_of_a_dialog_gets_189_at_once_and_the_dialog_stays(bot, caplog):
    caplog.set_level(logging.INFO)
    make_specialist(bot)
    parent = bot.person(PARENT)
    parent.follows()  # now in the language question
    parent.says("つかれて子どもをたたいちゃった")
    assert parent.heard("189")
    assert parent.heard("0120-000-189")  # the local child guidance centre, from the city file
    call_buttons = [m for m in parent.last if m.get("type") == "template"]
    assert call_buttons and call_buttons[0]["template"]["actions"][0]["uri"] == "tel:189"
    # the language question is still open: its buttons still work
    parent.taps_data(parent_last_language_button(bot, parent))
    assert parent.heard("これからは日本語でお話しします。")

    specialist = bot.person(SPECIALIST)
    (alert,) = specialist.replies()  # an alert case of its own: its reference, never the words
    assert "A-0001" in alert["altText"] and "たたいちゃった" not in str(alert)
    assert "たたいちゃった" not in caplog.text


def parent_last_language_button(bot, parent) -> str:
    from bot.messaging.postback import DialogTap
    from bot.storage.models import Conversation

    with bot.tsunagu.db.transaction() as session:
        conv = session.scalars(select(Conversation)).one()
        return DialogTap(conv.dialog, conv.step, conv.session, "ja").pack()


def test_half_width_katakana_and_hiragana_are_caught(bot):
    parent = bot.person(PARENT)
    parent.says("ﾀﾀｲﾃｼﾏｳ")
    assert parent.heard("189")
    parent.says("もうしにたい")
    assert parent.heard("0120-000-556")  # the suicide line


def test_medical_emergency_gets_119_first(bot):
    parent = bot.person(PARENT)
    parent.says("赤ちゃんが息してない！")
    assert parent.texts()[0].split("\n")[1].startswith("☎ 119")


def test_ordinary_words_are_not_alarmed(bot):
    parent = bot.person(PARENT)
    parent.says("太鼓をたたいて遊ぶサロンはありますか")
    assert not parent.heard("189")
    parent.says("虐待防止の講演会はいつ？")
    assert not parent.heard("189")


def test_crisis_pushes_are_urgent(bot):
    make_specialist(bot)
    bot.person(PARENT).says("夫に殴られる")
    with bot.tsunagu.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "messages")).all()
    assert rows and all(r.urgent for r in rows)


def test_each_tier_gets_its_own_answer(bot):
    make_specialist(bot)
    parent = bot.person(PARENT)
    specialist = bot.person(SPECIALIST)
    parent.says("もう限界、休みたい")  # a concern: warm, the lines, the offer; nobody paged
    assert parent.texts()[0].startswith("話してくれてありがとう") or parent.heard("Thank you")
    assert "専門員に相談" in parent.buttons() or "Ask a specialist" in parent.buttons()
    assert not specialist.replies()
    parent.says("赤ちゃんが息をしていない")  # an emergency: 119 first, the specialist paged
    assert parent.texts()[0].split("\n")[1].startswith("☎ 119")
    (alert,) = specialist.replies()
    assert "A-0001" in alert["altText"]
