"""The whole life of a case, as the people in it see it: invite → register → quick note →
routed push → claim → action → follow-up date → referral answered by a provider → close →
the reporter told."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.cases.models import AuditEntry, CaseEvent, Referral
from bot.i18n import TOKYO
from tests.cases.conftest import Cast

NOTE = "気になる 1歳の男の子、最近サロンで元気がない。お母さんも疲れている様子"
SECRET_WORDS = ("元気がない", "疲れている")


def test_a_case_from_note_to_close(cast: Cast):
    member, basic, mch = cast.member, cast.basic, cast.mch

    # The member's note: the stage is read from the text, the area is the member's own.
    member.says(NOTE)
    assert member.heard("How soon should a specialist look at this?")
    assert member.buttons() == ["Normal", "Soon", "Urgent"]
    member.taps("Soon")
    assert member.buttons() == ["Parent agreed", "Within 要対協", "Suspected abuse", "No consent"]
    member.taps("Parent agreed")
    assert member.heard("Send this note to the specialists?") and member.heard("北地区")
    member.taps("Send")
    assert member.heard("K-0001")
    case = cast.last_case()
    assert (case.stage, case.area, case.urgency, case.lead_type) == (
        "age1_2",
        "kita",
        "soon",
        "basic",
    )

    # The basic-type specialist of 北地区 leads; the MCH type sees it too. No note text.
    (push,) = basic.replies()
    assert push["template"]["text"].startswith("New concern note for you\nK-0001")
    assert "北地区" in push["template"]["text"] and "Age 1–2" in push["template"]["text"]
    (fyi,) = mch.replies()
    assert "for your information" in fyi["template"]["text"]
    assert not cast.basic_south.replies()  # 南地区's specialist is not told
    for message in (push, fyi):
        assert not any(word in str(message) for word in SECRET_WORDS)

    # Read the note on demand: audited.
    basic.taps("Read the note")
    assert basic.heard("元気がない")
    # Claim: the member hears, in general words.
    basic.taps("Claim")
    assert basic.heard("K-0001 is yours now")
    (picked_up,) = member.replies()
    assert "picked it up" in picked_up["text"]
    assert not any(word in picked_up["text"] for word in SECRET_WORDS)

    # Log an action, with a memo if one likes.
    basic.taps("Log an action")
    basic.taps("Home visit")
    assert basic.heard("Add a memo if you like")
    basic.taps("No memo")
    assert basic.heard("Recorded for K-0001: Home visit.")

    # A follow-up date with the date picker.
    picker = basic.button("Follow-up date")
    assert picker["type"] == "datetimepicker" and picker["mode"] == "date"
    day = date.today() + timedelta(days=7)
    basic.taps_data(picker["data"], {"date": day.isoformat()})
    assert basic.heard("I will remind you about K-0001")
    assert cast.last_case().follow_up_on == day

    # Refer to a provider: こけこっこ's member gets a request with no details and answers.
    basic.says("#K-0001")
    basic.taps("Refer")
    assert "こけこっこ" in basic.buttons() and "はぐＨＵＧ" in basic.buttons()
    basic.taps("こけこっこ")
    assert basic.heard("Asked こけこっこ about K-0001")
    provider = cast.other_member
    (request,) = provider.replies()
    assert "K-0001" in request["template"]["text"]
    assert not any(word in str(request) for word in SECRET_WORDS)
    provider.taps("Can accept")
    assert provider.heard("Your answer was sent")
    (answer,) = basic.replies()
    assert "こけこっこ answered about K-0001: Can accept" in answer["template"]["text"]
    provider.taps_data(provider_button(request, "Started using"))
    basic.replies()

    # Close with an outcome: the reporter hears, the case remembers the service.
    basic.says("#K-0001")
    basic.taps("Close")
    basic.taps("Connected")
    assert basic.heard("Close K-0001 as “Connected”?")
    basic.taps("Close it")
    assert basic.heard("K-0001 is closed")
    (closed,) = member.replies()
    assert "finished their work on your note K-0001" in closed["text"]
    case = cast.last_case()
    assert (case.status, case.outcome, case.outcome_org) == ("closed", "connected", "こけこっこ")

    with cast.bot.tsunagu.db.transaction() as session:
        kinds = session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
        assert kinds == [
            "filed",
            "claimed",
            "action",
            "follow_up",
            "referred",
            "referral_answer",
            "referral_answer",
            "closed",
        ]
        assert all(
            e.actor_id
            for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
        )
        views = session.scalars(select(AuditEntry).where(AuditEntry.action == "view_note")).all()
        assert [(v.case_id, v.detail) for v in views] == [(case.id, "")]
        assert session.scalars(select(Referral.status)).one() == "started"


def provider_button(message: dict, label: str) -> str:
    return next(a["data"] for a in message["template"]["actions"] if a["label"] == label)


def test_a_provider_that_cannot_gives_a_reason(cast: Cast):
    cast.file_note()
    cast.basic.replies()
    cast.basic.says("#K-0001")
    cast.basic.taps("Refer")
    cast.basic.taps("こけこっこ")
    (request,) = cast.other_member.replies()
    cast.other_member.taps_data(provider_button(request, "Cannot (reason)"))
    assert cast.other_member.heard("Please tell the specialist why")
    cast.other_member.says("今月は定員がいっぱいです")
    assert cast.other_member.heard("Your answer was sent")
    (answer,) = cast.basic.replies()
    assert "Cannot" in answer["template"]["text"] and "定員" not in answer["template"]["text"]
    cast.basic.says("#K-0001")
    assert cast.basic.heard("→ こけこっこ: Cannot") and not cast.basic.heard("定員")
    cast.basic.taps("Read the note")  # on demand, audited
    assert cast.basic.heard("こけこっこ cannot: 今月は定員がいっぱいです")


def test_a_closed_case_takes_no_more_changes(cast: Cast):
    cast.file_note()
    cast.basic.replies()
    cast.basic.taps("Claim")
    cast.basic.taps("Close")
    cast.basic.taps("Family declined")
    cast.basic.taps("Close it")
    for cmd in ("claim", "act&c=called", "handover", "close&c=moved", "refer", "memo"):
        cast.basic.taps_data(f"cmd={cmd}&case=1")
        assert cast.basic.heard("K-0001 is closed."), cmd
    cast.basic.says("#K-0001")
    assert cast.basic.buttons() == ["Read the note", "History"]
    assert cast.last_case().outcome == "declined"


def test_lists_open_cases_today_and_unclaimed(cast: Cast):
    cast.file_note()
    cast.basic.replies()
    cast.basic.taps_data("cmd=unclaimed")
    assert cast.basic.heard("K-0001")
    cast.basic.says("一覧")
    assert cast.basic.heard("Your open cases:") and "#K-0001" in cast.basic.buttons()
    cast.basic.taps("#K-0001")
    cast.basic.taps("Claim")
    cast.basic.taps_data("cmd=unclaimed")
    assert cast.basic.heard("No unclaimed cases.")
    cast.basic.taps_data("cmd=today")
    assert cast.basic.heard("No follow-ups are due today.")
    picker = cast.basic.replies() or None
    cast.basic.says("#K-0001")
    picker = cast.basic.button("Follow-up date")
    # the city's today (from 15:00 UTC the machine's date is still yesterday in Tokyo)
    cast.basic.taps_data(picker["data"], {"date": datetime.now(TOKYO).date().isoformat()})
    cast.basic.taps_data("cmd=today")
    assert cast.basic.heard("Follow-ups due today:") and cast.basic.heard("K-0001")
    cast.member.taps_data("cmd=my_notes")
    assert cast.member.heard("K-0001: picked up by a specialist")


def test_hand_over_to_the_other_type(cast: Cast):
    case = cast.file_note("気になる 0歳の赤ちゃん、健診に来ていない")
    assert case.lead_type == "mch"
    cast.mch.replies()
    cast.basic.replies()
    cast.mch.says("#K-0001")
    cast.mch.taps("Claim")
    cast.mch.taps("Hand over")
    assert cast.mch.heard("Hand K-0001 over to the Basic type")
    cast.mch.taps("With a memo")
    cast.mch.says("1歳になりました。母は保育園を考えている")
    assert cast.mch.heard("handed over to the Basic type")
    (push,) = cast.basic.replies()
    assert push["template"]["text"].startswith("Handed over to you from the MCH type")
    assert "保育園" not in str(push)
    case = cast.last_case()
    assert (case.lead_type, case.status, case.assignee_id) == ("basic", "new", None)


def test_the_menu_words_typed_work_as_the_taps(cast: Cast):
    cast.file_note()
    cast.basic.replies()
    cast.basic.says("未担当")
    assert cast.basic.heard("Not yet claimed:") and cast.basic.heard("K-0001")
    cast.basic.says("きょうのフォロー")
    assert cast.basic.heard("No follow-ups are due today.")
    cast.member.says("未担当")  # a member's words go to the note dialog or search, not the list
    assert not cast.member.heard("Not yet claimed:")
    cast.member.says("わたしの報告")  # the member's own menu word, typed: their notes, no search
    assert cast.member.heard("Your notes:") and cast.member.heard("K-0001")
    cast.basic.says("わたしの報告")  # a member's word is not a specialist's list
    assert not cast.basic.heard("Your notes:")
