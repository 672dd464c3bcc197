"""A parent's own words in the chat (issue 13, item 5), typed as a new user types them."""

from datetime import date

import pytest
from sqlalchemy import select

from bot.city import load_city
from bot.cli.kb import city_files
from bot.config import SAMPLE_CITY
from bot.knowledge.importers import import_paths
from bot.storage.models import LineUser

PARENT = "U" + "w" * 32


@pytest.fixture
def parent(bot):
    city = load_city(SAMPLE_CITY)
    assert import_paths(bot.tsunagu.db, city_files(city), city=city).ok
    return bot.person(PARENT)


def cards(person) -> list[dict]:
    return [b for m in person.last if m.get("type") == "flex" for b in m["contents"]["contents"]]


def names(person) -> list[str]:
    return [b["header"]["contents"][0]["text"] for b in cards(person)]


def rows(bubble) -> dict[str, str]:
    found = {}
    for box in bubble["body"]["contents"]:
        if box.get("layout") == "baseline":
            label, value = box["contents"]
            found[label["text"]] = value["text"]
    return found


def test_the_weekend_finds_a_nursery_open_monday_to_saturday(parent):
    parent.says("土日にあいてる保育園")
    assert parent.heard("見つかりました")
    assert "きた保育園" in names(parent)[:5]  # 月〜土: open on Saturday


def test_a_card_shows_regular_opening_days_instead_of_dates(parent):
    parent.says("きた保育園")
    shown = rows(cards(parent)[0])
    assert shown["曜日"] == "月〜土 07:00〜19:00"
    assert "日時" not in shown


@pytest.mark.parametrize("said", ["きたちくの", "北区の", "北のほうの", "きたのほうで"])
def test_the_area_is_read_from_free_text(parent, said):
    parent.says(f"{said}ひろば")
    assert names(parent)[0] == "つどいの広場「ひだまり」"


def test_the_stage_and_area_chosen_before_are_used_and_said_in_free_text(parent):
    parent.says("さがす")
    parent.taps("0歳")
    parent.taps("南地区")
    parent.taps("いつでも")
    parent.says("ひろば")
    assert parent.heard("前に選んだ0歳・南地区で")
    assert names(parent)[0] == "つどいの広場「おひさま」"
    parent.says("保育園の申し込み")  # a procedure at the city hall is not hidden by the area
    assert names(parent)[0] == "保育園・認定こども園の入園申込み"


@pytest.mark.parametrize(
    ("typed", "next_question"),
    [("1さい", "どの地区"), ("2歳です", "どの地区"), ("にんしんちゅう", "どの地区")],
)
def test_a_typed_age_at_the_stage_step_is_read_as_the_choice(parent, typed, next_question):
    parent.says("さがす")
    parent.says(typed)
    assert not parent.heard("下のボタンから選んでください")
    assert parent.heard(next_question)


def test_typed_area_and_day_in_the_guided_search(parent):
    parent.says("さがす")
    parent.says("1さい")
    parent.says("北のほう")
    assert parent.heard("曜日")
    parent.says("土曜")
    assert parent.heard("見つかりました")
    with parent.bot.tsunagu.db.reading() as session:
        user = session.scalars(select(LineUser).where(LineUser.line_user_id == PARENT)).one()
        assert (user.profile["stage"], user.profile["area"]) == ("age1_2", "kita")


def test_a_typed_topic_is_read_as_the_choice(parent):
    parent.says("相談")
    assert "発達・成長のこと" in parent.buttons()
    parent.says("発達のこと")
    assert not parent.heard("下のボタンから選んでください")


def test_a_word_that_names_two_buttons_is_asked_again(parent):
    parent.says("さがす")
    parent.says("なんでもいい")
    assert parent.heard("下のボタンから選んでください")


def test_a_sticker_keeps_the_pending_question_and_its_buttons(parent):
    parent.says("さがす")
    before = parent.buttons()
    parent._send(
        "message", message={"type": "sticker", "id": "1", "packageId": "1", "stickerId": "1"}
    )
    assert parent.heard("文字のメッセージ")
    assert parent.buttons() == before
    parent.taps("1〜2歳")
    assert parent.heard("どの地区")


@pytest.mark.skipif(
    not 1 <= (date.today().month - 11) % 12 <= 6,
    reason="the bot's clock is real: November's applications have passed only Dec–May "
    "(tests/knowledge/test_cards_and_schedules.py checks every month)",
)
def test_an_application_month_that_has_passed_is_said_to_have_passed(parent):
    parent.says("保育園の申し込み")
    shown = rows(cards(parent)[0])
    assert "11月" in shown.get("今年の受付は終了", "")


def test_a_vague_need_is_asked_about_before_any_list(parent):
    parent.says("子どもを預けたい")
    assert not cards(parent)
    assert "数時間だけ（用事・リフレッシュ）" in parent.buttons()
    parent.taps("子どもが病気のとき")
    assert names(parent)[0] in {"病児保育室「こあら」", "病後児保育「うさぎルーム」"}


def test_a_tired_parent_hears_a_human_word_before_the_list(parent):
    parent.says("引っ越してきて知り合いがいなくてさみしい、ひろばってどこ？")
    texts = parent.texts()
    assert texts[0].startswith("大変でしたね")
    assert cards(parent)
