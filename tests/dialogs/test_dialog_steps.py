"""Each dialog's steps, driven as pure functions through the fast harness (no server, no
database): what is asked, which buttons, what a wrong or unoffered answer does, and the intent
a finished dialog hands to the router."""

from enum import StrEnum

import pytest

from bot.dialogs.case_referral import case_referral
from bot.dialogs.concern_note import concern_note
from bot.dialogs.consult import consult
from bot.dialogs.engine import Dialog, DialogError, Step, finish
from bot.dialogs.guide import guide
from bot.dialogs.language import language
from bot.dialogs.note_reading import guess_stage, seems_identifying
from bot.dialogs.salons import CHANGE, salons
from bot.intents import DeclineReferral, FileNote, RequestConsultation, ShowResults, ShowSalons
from bot.vocabulary import LegalBasis, Stage, Topic, Urgency
from tests.dialogs.harness import Talk

# ---------------------------------------------------------------- language


def test_language_asks_once_and_remembers_the_choice():
    talk = Talk(language, language="ja").start()
    assert talk.asked == "choose" and talk.buttons == [
        "日本語",
        "English",
        "Português",
        "Tiếng Việt",
        "中文（简体）",
    ]
    talk.tap("en")
    assert talk.asked is None and talk.profile["language"] == "en"
    assert talk.heard("From now on I will talk to you in English.")  # said in the new language


def test_a_typed_label_counts_as_the_tap_and_an_unoffered_value_is_asked_again():
    assert Talk(language).start().type("ｅｎｇｌｉｓｈ").profile["language"] == "en"
    talk = Talk(language).start().tap("fr")
    assert talk.asked == "choose" and talk.heard("Please choose one of the buttons below.")
    assert (
        talk.buttons == ["日本語", "English", "Português", "Tiếng Việt", "中文（简体）"]
        and talk.profile["language"] == "en"
    )


# ---------------------------------------------------------------- guided search


def test_guide_hands_stage_area_and_weekday_to_the_router():
    talk = Talk(guide).start()
    assert talk.buttons[:2] == ["Pregnancy", "Age 0"]
    talk.tap("age0").tap("kita")
    assert talk.asked == "weekday" and talk.buttons[0] == "Any day"
    talk.tap("5")
    assert talk.asked is None and talk.intent == ShowResults(Stage.AGE0, "kita", 5)
    assert (talk.profile["stage"], talk.profile["area"]) == ("age0", "kita")


def test_guide_says_what_it_remembers_and_anywhere_keeps_the_area():
    talk = Talk(guide, profile={"stage": "age1_2", "area": "minami"}).start()
    assert talk.heard("(last time: Age 1–2)")
    talk.tap("age1_2")
    assert talk.heard("(last time: South (南地区))") and talk.buttons[-1] == "Anywhere"
    talk.tap("any").tap("any")
    assert talk.intent == ShowResults(Stage.AGE1_2, None, None)
    assert talk.profile["area"] == "minami"


def test_an_area_nobody_offered_is_never_taken():
    talk = Talk(guide).start().tap("age0").tap("山田花子 090-1234-5678")
    assert talk.asked == "area" and "area" not in talk.profile and "area" not in talk.place.data


# ---------------------------------------------------------------- this week's salons


def test_salons_with_a_known_stage_finish_at_once_and_change_asks_again():
    talk = Talk(salons, profile={"stage": "age0", "area": "kita"}).start()
    assert talk.asked is None and talk.intent == ShowSalons(Stage.AGE0, "kita")
    talk = Talk(salons, profile={"stage": "age0"}, data={"opening": CHANGE}).start()
    assert talk.asked == "stage"
    talk.tap("school")
    assert talk.intent == ShowSalons(Stage.SCHOOL, None) and talk.profile["stage"] == "school"


# ---------------------------------------------------------------- asking a specialist


def test_consult_by_phone_checks_the_number_and_sends_the_request():
    talk = Talk(consult).start().tap("worries")
    assert talk.asked == "detail"
    talk.type("夜泣きがひどくて眠れません").tap("phone")
    talk.type("090-1234-567")  # a digit short
    assert talk.asked == "phone" and talk.heard("That does not look like a phone number.")
    talk.type("０９０－１２３４－５６７８")
    assert talk.asked == "confirm" and talk.heard("Contact: 090-1234-5678")
    talk.tap("send")
    assert talk.intent == RequestConsultation(
        Topic.WORRIES, "夜泣きがひどくて眠れません", "090-1234-5678"
    )


def test_consult_skips_the_words_and_can_be_called_off():
    talk = Talk(consult).start().tap("money").tap("skip").tap("line").tap("send")
    assert talk.intent == RequestConsultation(Topic.MONEY, None, "line")
    talk = Talk(consult).start().tap("money").tap("skip").tap("line").tap("cancel")
    assert talk.intent is None and talk.heard("All right, I did not send it.")


def test_consult_refuses_a_topic_it_did_not_offer():
    talk = Talk(consult).start().tap("secret-topic")
    assert talk.asked == "topic" and "topic" not in talk.place.data


# ---------------------------------------------------------------- a concern note


def test_a_note_that_says_the_age_asks_only_what_is_missing():
    talk = Talk(
        concern_note, profile={"staff_area": "kita"}, data={"opening": "1歳の男の子、元気がない"}
    )
    talk.start()
    assert talk.asked == "urgency"  # stage read from the text, area the member's own
    talk.tap("soon").tap("consent")
    assert talk.asked == "confirm" and talk.heard("北地区") and talk.heard("Age 1–2")
    talk.tap("send")
    assert talk.intent == FileNote(
        "1歳の男の子、元気がない", Stage.AGE1_2, "kita", Urgency.SOON, LegalBasis.CONSENT
    )


def test_a_baby_note_offers_a_birth_month_picker_within_reason():
    talk = Talk(
        concern_note, profile={"staff_area": "kita"}, data={"opening": "赤ちゃんが泣きやまない"}
    )
    talk.start()
    assert talk.asked == "birth"
    picker = next(a for a in talk.actions() if a["type"] == "datetimepicker")
    assert (picker["min"], picker["max"]) == ("2025-01-01", "2027-01-12")
    talk.tap("date", {"date": "2026-05-20"})
    assert talk.asked == "urgency" and talk.place.data["birth_month"] == "2026-05"


def test_no_consent_keeps_nothing_and_change_answers_goes_back():
    talk = Talk(concern_note, profile={"staff_area": "kita"}, data={"opening": "小学2年の子"})
    talk.start().tap("normal").tap("none")
    assert (
        talk.asked is None and talk.intent is None and talk.heard("Nothing from this note was kept")
    )
    talk = Talk(concern_note, profile={"staff_area": "kita"}, data={"opening": "小学2年の子"})
    talk.start().tap("normal").tap("network").tap("fix")
    assert talk.asked == "stage"


def test_a_note_with_a_name_is_warned_and_can_be_rewritten():
    talk = Talk(
        concern_note, profile={"staff_area": "kita"}, data={"opening": "山田花子さんの家が心配"}
    )
    talk.start()
    assert talk.asked == "pii" and talk.buttons == ["Rewrite it", "Send as it is"]
    talk.type("Aさんの家、夜に子どもの泣き声が続く")
    assert talk.asked == "stage"


def test_an_invented_stage_or_area_is_asked_again():
    talk = Talk(concern_note, data={"opening": "気になる家庭があります"}).start()
    assert talk.asked == "stage"
    talk.tap("age99")
    assert talk.asked == "stage" and not talk.place.data.get("stage")
    talk.tap("age3_preschool")
    assert talk.asked == "area"
    talk.tap("atlantis")
    assert talk.asked == "area" and not talk.place.data.get("area")


@pytest.mark.parametrize(
    ("note", "stage"),
    [
        ("3さいの女の子", "age3_preschool"),
        ("生後6か月の赤ちゃん", "age0"),
        ("妊娠中のお母さん", "pregnancy"),
        ("小学2年生の男の子", "school"),
        ("赤ちゃんと3歳のお兄ちゃん", None),  # two children: ask
        ("最近元気がない", None),
    ],
)
def test_the_stage_is_read_only_when_the_note_says_one(note, stage):
    assert guess_stage(note) == stage


def test_roles_are_not_names_but_names_are():
    assert not seems_identifying("保育士さんから聞いた話です")
    assert seems_identifying("佐藤さんのお宅")
    assert seems_identifying("連絡先は090-1234-5678")


# ---------------------------------------------------------------- a provider says no


def test_a_provider_declines_with_a_tapped_or_typed_reason():
    talk = Talk(case_referral, data={"referral": 7}).start()
    assert talk.buttons == ["No places", "Not eligible", "Timing does not fit"]
    assert talk.tap("full").intent == DeclineReferral(7, "No places")
    talk = Talk(case_referral, data={"referral": 7}).start().type("今月は定員がいっぱい")
    assert talk.intent == DeclineReferral(7, "今月は定員がいっぱい")
    assert Talk(case_referral, data={"referral": 7}).start().type("   ").asked == "reason"


# ---------------------------------------------------------------- declaring a dialog


def test_a_dialog_with_a_step_declared_but_not_defined_fails_at_definition():
    class Steps(StrEnum):
        ONE = "one"
        TWO = "two"

    one = Step(Steps.ONE, prompt=lambda ctx: "?", on_answer=lambda ctx, given: finish())
    with pytest.raises(DialogError, match="two"):
        Dialog(name="broken", steps=Steps, asks=[one])


# ---------------------------------------------------------------- a new question mid-search


@pytest.mark.parametrize("dialog", [guide, salons], ids=lambda d: d.name)
def test_a_question_typed_in_a_search_dialog_is_a_new_question_at_once(dialog):
    talk = Talk(dialog, language="ja").start()
    asked, buttons = talk.asked, talk.buttons
    talk.type("土日にあいてる支援センターある？")
    assert talk.left and talk.texts == []  # the router answers it as a question of its own
    for vague in ("うーん", "なんでもいい", "どこでもいいです"):
        short = Talk(dialog, language="ja").start().type(vague)
        assert not short.left and short.asked == asked and short.buttons == buttons
        assert short.heard("下のボタンから選んでください")


def test_other_dialogs_still_ask_again_before_letting_go():
    talk = Talk(consult, language="ja").start()
    asked = talk.asked
    talk.type("土日にあいてる支援センターある？")
    assert not talk.left and talk.asked == asked
    assert talk.type("土日にあいてる支援センターある？").left  # typed twice: let go
