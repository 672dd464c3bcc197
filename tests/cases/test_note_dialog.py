"""The quick concern note: only what is missing is asked; names get a warning; no consent means
no sharing; danger words take the crisis route."""

import pytest
from sqlalchemy import func, select

from bot.cases.models import Case, ConcernNote
from bot.dialogs.note_reading import guess_stage, seems_identifying
from bot.storage.models import Conversation, OutboxMessage
from tests.cases.conftest import BASIC, MCH, Cast, register

NO_AREA_MEMBER = "U" + "9d" * 16


def count(bot, model) -> int:
    with bot.tsunagu.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_menu_button_asks_for_the_text_then_only_what_is_missing(cast: Cast):
    member = cast.member
    member.says("気になる")  # the rich menu's button sends just this
    assert member.heard("Please write what you noticed")
    member.says("健診のあと、ずっと泣いている子がいる")
    assert member.heard("How old is the child?")
    assert member.buttons()[:2] == ["Pregnancy", "Age 0"]
    member.taps("Age 0")
    assert member.heard("birth month") and "Skip" in member.buttons()
    picker = member.button("Pick the month")
    assert picker["type"] == "datetimepicker"
    member.taps_data(picker["data"], {"date": "2026-03-14"})
    assert member.heard("How soon")  # the area is the member's own: not asked
    member.taps("Urgent")
    member.taps("Within 要対協")
    member.taps("Send")
    with cast.bot.tsunagu.db.transaction() as session:
        note = session.scalars(select(ConcernNote)).one()
        assert (note.stage, note.birth_month, note.area) == ("age0", "2026-03", "kita")
        assert (note.urgency, note.legal_basis) == ("urgent", "network")


def test_a_member_without_an_area_is_asked_for_it(bot):
    member = register(bot, NO_AREA_MEMBER, role="member", org="児童館")
    member.says("気になる 小学2年の子、夜も一人で公園にいる")
    assert member.heard("Which area")
    assert "South (南地区)" in member.buttons()
    member.taps("South (南地区)")
    assert member.heard("How soon")


def test_changing_answers_asks_them_again(cast: Cast):
    member = cast.member
    member.says("気になる 3歳の女の子、言葉がゆっくり")
    member.taps("Normal")
    member.taps("Parent agreed")
    assert member.heard("Age 3 to school")
    member.taps("Change answers")
    assert member.heard("How old is the child?")
    member.taps("Age 1–2")
    member.taps("North (北地区)")  # the area can be changed too
    member.taps("Normal")
    member.taps("Parent agreed")
    member.taps("Send")
    assert cast.last_case().stage == "age1_2"


def test_a_name_or_phone_number_gets_a_warning_and_the_offer_to_rewrite(cast: Cast):
    member = cast.member
    member.says("気になる 山田花子さん（090-1234-5678）の1歳の子、いつも同じ服")
    assert member.heard("seems to contain a name, a phone number or an address")
    assert member.heard("「090-1234-5678」、「山田花子さん」")  # the words it means, quoted
    assert member.buttons() == ["Rewrite it", "Send as it is"]
    member.taps("Rewrite it")
    assert member.heard("Please write what you noticed")
    member.says("Yさんの1歳の子、いつも同じ服")
    assert member.heard("How soon")
    member.taps("Normal")
    member.taps("Parent agreed")
    member.taps("Send")
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalars(select(ConcernNote.text)).one() == "Yさんの1歳の子、いつも同じ服"


def test_without_consent_the_member_gets_guidance_and_nothing_is_kept(cast: Cast):
    member = cast.member
    member.says("気になる 2歳の子、表情が乏しい")
    member.taps("Normal")
    member.taps("No consent")
    assert member.heard("please do not share the family's details")
    assert member.heard("189")
    assert count(cast.bot, ConcernNote) == 0 and count(cast.bot, Conversation) == 0
    assert not cast.basic.replies()


def test_a_note_that_quotes_a_parent_in_danger_is_filed_as_urgent_not_swallowed(cast: Cast):
    member = cast.member
    member.says("気になる サロンに来たママが「もう限界、子どもに手をあげてしまいそう」って言ってた")
    assert not member.heard("You are not alone")  # the answer meant for a parent in crisis
    assert member.heard("How old is the child?")
    member.taps("Age 1–2")
    assert member.buttons() == ["Parent agreed", "Within 要対協", "Suspected abuse", "No consent"]
    member.taps("Parent agreed")  # the urgency was not asked: danger words make it urgent
    assert member.heard("The note mentions danger signs: it goes as urgent.")
    member.taps("Send")
    assert member.heard("K-0001") and member.heard("call 110 (police) or 189")
    case = cast.last_case()
    assert (case.urgency, case.lead_type, case.area) == ("urgent", "basic", "kita")
    (push,) = cast.basic.replies()
    assert "K-0001" in push["template"]["text"] and "手をあげ" not in str(push)
    assert len(cast.mch.replies()) == 1  # the other type, for information
    assert not cast.basic_south.replies()  # may not open a 北地区 case: not told
    with cast.bot.tsunagu.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "messages"))
        pushes = [row for row in rows if row.to in (BASIC, MCH) and "K-0001" in str(row.messages)]
        assert len(pushes) == 2 and all(row.urgent for row in pushes)


def test_a_report_of_suspected_abuse_needs_no_consent_and_is_urgent(cast: Cast):
    member = cast.member
    member.says("気になる 3歳の子、腕に新しいあざが何度も")
    member.taps("Normal")
    member.taps("Suspected abuse")
    assert member.heard("Report of suspected abuse (通告)")
    member.taps("Send")
    assert member.heard("It went as urgent")
    assert cast.last_case().urgency == "urgent"
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalars(select(ConcernNote.legal_basis)).one() == "report"


def test_no_consent_says_when_a_report_needs_none(cast: Cast):
    cast.member.says("気になる 2歳の子、表情が乏しい")
    cast.member.taps("Normal")
    cast.member.taps("No consent")
    assert cast.member.heard("a report (通告) needs no consent")


def test_parents_cannot_start_a_note(cast: Cast):
    cast.parent.says("気になる 隣の家の子が心配")
    assert count(cast.bot, ConcernNote) == 0
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalars(select(Conversation.dialog)).all() in (
            [],
            ["guide"],
            ["consult"],
            ["language_offer"],
        )
    assert count(cast.bot, Case) == 0


def test_reading_a_note():
    assert seems_identifying("山田花子さんの家")
    assert seems_identifying("電話は03-1234-5678")
    assert seems_identifying("北町3丁目に住む")
    assert not seems_identifying("Aさんの1歳の子、保育士さんも心配している。お母さんが疲れている")
    assert guess_stage("妊娠8か月の方") is None  # two stages named: ask
    assert guess_stage("妊娠中の方") == "pregnancy"
    assert guess_stage("生後6ヶ月の赤ちゃん") == "age0"
    assert guess_stage("Aさんの赤ちゃん") == "age0"
    assert guess_stage("2歳の男の子") == "age1_2"
    assert guess_stage("4歳と小学3年の兄弟") is None
    assert guess_stage("元気がない") is None


@pytest.mark.parametrize(
    "note, stage",
    [
        ("3さいの男の子、最近サロンに来なくなった", "age3_preschool"),
        ("1歳半の子のお母さんが疲れている様子", "age1_2"),
        ("生後6か月の赤ちゃんの体重が気になる", "age0"),
        ("小学2年の子が朝ごはんを食べていないようです", "school"),
        ("お母さんがとても疲れている様子でした", None),
    ],
)
def test_the_childs_stage_is_read_from_the_note_as_people_write_it(note, stage):
    from bot.dialogs.note_reading import guess_stage

    assert guess_stage(note) == stage
