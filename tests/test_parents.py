"""Parents' self-service, as transcripts in Japanese and English, over the sample city."""

import pytest
from sqlalchemy import select

from bot.cases.models import AuditEntry
from bot.city import load_city
from bot.cli.kb import city_files
from bot.config import SAMPLE_CITY
from bot.consultations.models import ConsultationRequest
from bot.knowledge.importers import import_paths
from bot.storage.models import LineUser
from tests.people import register_specialist

PARENT = "U" + "p" * 32
SPECIALIST = "U" + "s" * 32


@pytest.fixture
def city_bot(bot):
    city = load_city(SAMPLE_CITY)
    report = import_paths(bot.tsunagu.db, city_files(city), city=city)
    assert report.ok, report.summary()
    return bot


def english(parent):
    parent.follows()
    parent.taps("English")


def cards(person) -> list[dict]:
    return [b for m in person.last if m.get("type") == "flex" for b in m["contents"]["contents"]]


def card_names(person) -> list[str]:
    return [b["header"]["contents"][0]["text"] for b in cards(person)]


def test_a_question_in_hiragana_gets_cards(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("ほいくえんのもうしこみ")
    assert parent.heard("見つかりました")
    assert "保育園・認定こども園の入園申込み" in card_names(parent)[:3]
    bubble = cards(parent)[0]
    footer = [c["action"] for c in bubble["footer"]["contents"]]
    assert footer[-1]["type"] == "postback" and "cmd=more" in footer[-1]["data"]


def test_more_tells_everything_about_an_entry(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("ぼしてちょう")
    more = cards(parent)[0]["footer"]["contents"][-1]["action"]
    parent.taps_data(more["data"])
    assert parent.heard("【母子健康手帳の交付（妊娠届）】")
    assert parent.heard("■対象")


def test_no_good_match_is_said_honestly_with_an_offer_to_ask(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("宇宙旅行の予約")
    assert parent.heard("見つかりませんでした")
    assert not cards(parent)  # nothing unrelated is shown as if it answered
    assert "専門員に相談" in parent.buttons()


@pytest.mark.parametrize("question", ["犬の予防注射はどこで受けられますか", "住民票の写しがほしい"])
def test_a_question_for_another_office_gets_no_unrelated_card(city_bot, question):
    parent = city_bot.person(PARENT)
    parent.says(question)
    assert parent.heard("見つかりませんでした") and not cards(parent)
    assert "専門員に相談" in parent.buttons()


def test_a_grant_the_city_does_not_offer_is_told_nothing_fits_not_shown_another_grant(city_bot):
    from bot.knowledge.models import KbGap

    parent = city_bot.person(PARENT)
    parent.says("眼鏡の購入費の助成ってある？")  # shares 助成 with the medical-costs grant
    assert parent.heard("一覧には、それに当たるものが見つかりませんでした")
    assert not cards(parent)
    assert "専門員に相談" in parent.buttons()
    with city_bot.tsunagu.db.reading() as session:
        assert [r.kind for r in session.scalars(select(KbGap))] == ["unrelated"]
    parent.says("医療費の助成ってある？")  # the grant the city has is still found
    assert "こども医療費助成" in card_names(parent)[:3]


def test_an_unanswered_question_is_kept_for_the_editors_without_who_asked(city_bot):
    from bot.knowledge.models import KbGap

    parent = city_bot.person(PARENT)
    parent.says("犬の予防注射はどこで受けられますか 090-1234-5678")
    parent.says("保育園の申し込み")  # answered: not kept
    with city_bot.tsunagu.db.reading() as session:
        rows = session.scalars(select(KbGap)).all()
        assert [(r.question, r.kind) for r in rows] == [
            ("犬の予防注射はどこで受けられますか 〔電話番号〕", "unrelated")
        ]
        raw = session.connection().exec_driver_sql("SELECT * FROM kb_gaps").all()
    assert PARENT not in repr(raw)


def test_a_need_in_a_parents_words_finds_the_service(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("熱出とるけど仕事休めんけぇ困っとる")
    assert parent.heard("見つかりました")
    assert card_names(parent)[0] == "病児保育室「こあら」"


def test_greetings_are_answered_not_searched(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("こんにちは！")
    assert parent.heard("こんにちは") and not cards(parent)


def test_guided_search_remembers_stage_and_area(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("さがす")
    assert parent.buttons() == ["妊娠中", "0歳", "1〜2歳", "3歳〜就学前", "小学生"]
    parent.taps("1〜2歳")
    assert "北地区" in parent.buttons() and "どこでも" in parent.buttons()
    parent.taps("北地区")
    parent.taps("土")
    assert cards(parent)
    with city_bot.tsunagu.db.transaction() as session:
        user = session.scalars(select(LineUser).where(LineUser.line_user_id == PARENT)).one()
        assert user.profile == {"stage": "age1_2", "area": "kita"}
    parent.says("さがす")
    assert parent.heard("前回: 1〜2歳")


def test_a_wrong_tap_gets_the_question_again_with_its_buttons(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("さがす")
    asked = parent.buttons()
    parent.says("きのこ")
    assert parent.heard("下のボタンから選んでください") and parent.buttons() == asked
    # a second thing that fits nowhere is a new question: the dialog never traps anyone
    parent.says("病児保育")
    assert "病児保育室「こあら」" in card_names(parent)


def test_a_stale_button_is_refused(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("さがす")
    old = parent.button("0歳")["data"]
    parent.says("やめる")
    parent.says("さがす")
    parent.taps_data(old)
    assert parent.heard("期限切れ")
    assert parent.buttons() == ["妊娠中", "0歳", "1〜2歳", "3歳〜就学前", "小学生"]


def test_this_weeks_salons_asks_the_stage_once(city_bot):
    parent = city_bot.person(PARENT)
    parent.taps_data("cmd=salons_week")
    assert parent.heard("お子さんは何歳ですか")
    parent.taps("0歳")
    assert parent.heard("今週の") or parent.heard("残っていません")
    parent.taps_data("cmd=salons_week")
    assert not parent.heard("お子さんは何歳ですか")


def test_asking_a_specialist_records_the_request_and_tells_specialists_no_text(city_bot):
    with city_bot.tsunagu.db.transaction() as session:
        register_specialist(session, SPECIALIST)
    parent = city_bot.person(PARENT)
    parent.says("相談したい")
    parent.taps("子育ての悩み")
    parent.says("夜泣きがひどくて眠れません")
    parent.taps("電話で")
    parent.says("090-1234-567")  # one digit short
    assert parent.heard("電話番号ではないようです")
    parent.says("０９０－１２３４－５６７８")
    parent.taps("送る")
    assert parent.heard("S-0001")
    specialist = city_bot.person(SPECIALIST)
    (note,) = specialist.replies()
    assert "S-0001" in note["altText"] and "夜泣き" not in note["altText"]
    # the words and the number are shown on demand, to specialists only, and audited
    parent.taps_data(note["template"]["actions"][0]["data"])
    assert parent.heard("お使いいただけません") and not parent.heard("夜泣き")
    specialist.taps("相談を開く")
    assert specialist.heard("夜泣きがひどくて眠れません") and specialist.heard("090-1234-5678")
    with city_bot.tsunagu.db.transaction() as session:
        audit = session.scalars(select(AuditEntry)).one()
        assert (audit.action, audit.detail) == ("view_consult", "S-0001")
    with city_bot.tsunagu.db.transaction() as session:
        request = session.scalars(select(ConsultationRequest)).one()
        assert request.detail == "夜泣きがひどくて眠れません"
        assert request.contact == "090-1234-5678"
    with city_bot.tsunagu.db.engine.connect() as raw:
        stored = raw.exec_driver_sql("SELECT detail, contact FROM consultation_requests").one()
    assert "夜泣き" not in stored[0] and "5678" not in stored[1]


def test_in_english(city_bot):
    parent = city_bot.person(PARENT)
    english(parent)
    parent.says("sick child care")
    assert parent.heard("Here is what I found.") or parent.heard("closest")
    parent.says("search")
    assert parent.buttons()[:2] == ["Pregnancy", "Age 0"]
    parent.taps("Age 0")
    parent.taps("Anywhere")
    parent.taps("Any day")
    assert parent.heard("Here is what I found.")
    assert cards(parent)[0]["body"]["contents"][2]["contents"][0]["text"] in {
        "For",
        "When",
        "Where",
        "Booking",
        "Fee",
    }


def test_salons_and_consultation_in_english(city_bot):
    with city_bot.tsunagu.db.transaction() as session:
        register_specialist(session, SPECIALIST).language = "en"
    parent = city_bot.person(PARENT)
    english(parent)
    parent.taps_data("cmd=salons_week")
    assert parent.heard("How old is your child?")
    parent.taps("Age 1–2")
    assert parent.heard("Salons this week for Age 1–2") or parent.heard("no salons")
    parent.says("ask a specialist")
    assert parent.buttons()[0] == "Nursery/kindergarten"
    parent.taps("Nursery/kindergarten")
    parent.taps("Skip")
    parent.taps("Here in LINE")
    assert parent.heard("Send this request? About: Nursery/kindergarten / Contact: by LINE")
    parent.taps("Send")
    assert parent.heard("Your reference is S-0001")
    (note,) = city_bot.person(SPECIALIST).replies()
    assert note["altText"] == "New consultation request for you S-0001"
    assert "Nursery/kindergarten" in note["template"]["text"]


def test_in_english_nothing_fits_is_said_and_care_is_found_not_the_dentist(city_bot):
    parent = city_bot.person(PARENT)
    english(parent)
    parent.says("is there a subsidy for glasses?")  # 'subsidy' alone is generic
    assert parent.heard("I could not find a service for that in this city's list.")
    assert not cards(parent) and "Ask a specialist" in parent.buttons()
    parent.says("can i leave my baby somewhere for two hours? i have a dentist appointment")
    assert parent.heard("Here is what I found.")
    care = {"一時預かり（子育て支援センター）", "ファミリー・サポート・センター"}
    assert card_names(parent)[0] in care


@pytest.mark.parametrize(
    ("words", "english_parent"),
    [
        ("専門員に相談したい", False),
        ("だれかに話を聞いてほしい", False),
        ("can i talk to someone", True),
    ],
)
def test_asking_for_a_person_in_words_starts_the_consultation(city_bot, words, english_parent):
    """Typed, the wish the quick reply 「専門員に相談」 carries went to the search and came back
    as outreach cards (the round-6 walk); it now starts the same consultation."""
    parent = city_bot.person(PARENT)
    if english_parent:
        english(parent)
    parent.says(words)
    assert not cards(parent)
    asked = "What is it about?" if english_parent else "どんなことのご相談ですか"
    assert parent.heard(asked), parent.last


def test_a_question_about_where_to_consult_stays_a_search(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("発達の相談はどこでできますか")
    assert cards(parent)


def test_a_worry_typed_instead_of_a_topic_is_kept_as_the_words_not_dropped(city_bot):
    """At 「どんなことのご相談ですか？」 a parent types the worry itself: it goes with the request,
    under the topic it names (保育園 → 保育園・幼稚園), instead of 「下のボタンから選んでください」
    and the worry lost."""
    parent = city_bot.person(PARENT)
    parent.says("専門員に相談したい")
    parent.says("保育園の先生とうまく話せなくて悩んでます")
    assert parent.heard("連絡方法を選んでください")
    parent.taps("このLINEで")
    parent.taps("送る")
    with city_bot.tsunagu.db.transaction() as session:
        request = session.scalars(select(ConsultationRequest)).one()
        told = "保育園の先生とうまく話せなくて悩んでます"
        assert (request.topic, request.detail) == ("childcare", told)


def test_a_topic_named_in_words_or_a_slip_at_the_topic(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("相談したい")
    parent.says("はい")  # too short to be a worry: the question again, with its buttons
    assert parent.heard("下のボタンから選んでください") and "子育ての悩み" in parent.buttons()
    parent.says("発達のこと")  # names a button: the topic, then the few words asked
    assert parent.heard("くわしい内容をひとことで")


def test_a_worry_naming_no_topic_goes_under_something_else(city_bot):
    parent = city_bot.person(PARENT)
    parent.says("相談したい")
    parent.says("最近イライラして子どもにきつく言ってしまう")
    parent.taps("このLINEで")
    parent.taps("送る")
    with city_bot.tsunagu.db.transaction() as session:
        request = session.scalars(select(ConsultationRequest)).one()
        assert request.topic == "other" and request.detail.startswith("最近イライラ")


@pytest.mark.parametrize(
    "question", ["人と話すのが苦手な息子、相談できる場所は？", "保健師さんに相談できる日は？"]
)
def test_a_question_about_people_or_consulting_days_is_no_wish_to_talk_now(city_bot, question):
    parent = city_bot.person(PARENT)
    parent.says(question)
    assert not parent.heard("どんなことのご相談ですか")
