"""A parent's request (S-) and a danger alert (A-) are cases of their own kind: routed to one
type, listed, claimed, worked and closed like a note; the specialist writes to the family through
the bot and the family answers in the same chat."""

from datetime import UTC, datetime
from uuid import uuid4

import time_machine
from sqlalchemy import func, select

from bot.cases.models import AuditEntry, Case, CaseEvent
from bot.storage.models import OutboxMessage
from tests.cases.conftest import Cast

WORDS = "夜泣きがひどくて眠れません"


def parent_with_stage(cast: Cast) -> None:
    parent = cast.parent
    parent.says("search")
    parent.taps("Age 1–2")
    parent.taps("North (北地区)")
    parent.taps("Any day")


def ask(cast: Cast, detail: str = WORDS) -> Case:
    parent = cast.parent
    parent.says("ask a specialist")
    parent.taps("Parenting worries")
    parent.says(detail)
    parent.taps("Here in LINE")
    parent.taps("Send")
    return cast.last_case()


def test_a_request_is_a_case_routed_to_one_type_listed_claimed_and_closed(cast: Cast):
    parent_with_stage(cast)
    case = ask(cast)
    assert cast.parent.heard(f"Your reference is {case.reference}")
    assert (case.kind, case.lead_type, case.stage, case.area) == (
        "consult",
        "basic",
        "age1_2",
        "kita",
    )
    assert case.reference.startswith("S-")
    (push,) = cast.basic.replies()
    text = push["template"]["text"]
    assert text.startswith("New consultation request for you") and "Prefers English" in text
    assert WORDS not in str(push)
    assert not cast.mch.replies()  # the parent asked for one person: only the lead type
    cast.basic.says("一覧")
    assert cast.basic.heard(case.reference)
    cast.basic.says("#" + case.reference)
    assert cast.basic.heard("A parent's request: Parenting worries")
    cast.basic.taps("Open the request")
    assert cast.basic.heard(WORDS) and cast.basic.heard("by LINE")
    cast.basic.taps("Claim")
    assert cast.basic.heard(f"{case.reference} is yours now.")
    cast.basic.taps("Close")
    cast.basic.taps("Connected")
    cast.basic.taps("Close it")
    assert cast.last_case().status == "closed"
    with cast.bot.tsunagu.db.transaction() as session:
        views = session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case.id))
        assert "view_consult" in list(views)


def _replying(cast: Cast):
    """A parent's request, opened by the basic specialist, who is now writing to the family."""
    parent_with_stage(cast)
    case = ask(cast)
    cast.basic.replies()
    cast.basic.says("#" + case.reference)
    cast.basic.taps("Reply")
    assert cast.basic.heard("Type your message for the family")
    return case


def test_the_specialist_and_the_family_talk_through_the_bot(cast: Cast):
    case = _replying(cast)
    cast.basic.says("明日の午前中にお電話してもよいですか？")
    assert cast.basic.heard(f"Sent to the family of {case.reference}.")
    assert cast.last_case().assignee_id is not None  # writing to them took the case on
    (relayed,) = cast.parent.replies()
    assert relayed["text"].startswith(f"Your specialist at the city answered ({case.reference}):")
    assert "明日の午前中" in relayed["text"]
    assert "End the conversation" in cast.parent.buttons()

    cast.parent.says("はい、10時ごろならだいじょうぶです")
    assert cast.parent.heard(f"Sent to your specialist ({case.reference}).")
    (notice,) = cast.basic.replies()
    assert notice["template"]["text"] == f"The family wrote on {case.reference}."
    assert "10時" not in str(notice)  # a push says it came, never what it says
    cast.basic.taps("Read")
    assert cast.basic.heard("はい、10時ごろならだいじょうぶです")
    marks = cast.bot.double.calls("mark_read")
    assert len(marks) == 1 and marks[0]["json"]["markAsReadToken"]
    cast.basic.taps("Conversation")
    assert len(cast.bot.double.calls("mark_read")) == 1  # read once, marked once

    cast.parent.taps("End the conversation")
    assert cast.parent.heard("The conversation has ended.")
    (ended,) = cast.basic.replies()
    assert ended["template"]["text"] == f"The family ended the conversation on {case.reference}."
    cast.parent.says("保育園の申し込みはいつ？")
    assert not cast.basic.replies()  # no longer relayed: an ordinary question again
    with cast.bot.tsunagu.db.transaction() as session:
        kinds = session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
        assert kinds.count("message") == 2 and kinds[-1] == "relay_ended"


def test_a_family_writing_out_of_hours_is_told_when_to_expect_an_answer(cast: Cast):
    parent_with_stage(cast)
    case = ask(cast)
    cast.basic.says("#" + case.reference)
    cast.basic.taps("Reply")
    cast.basic.says("お話を聞かせてください")
    cast.parent.replies()
    saturday_night = datetime(2027, 1, 9, 13, 0, tzinfo=UTC)  # 22:00 in Tokyo
    with time_machine.travel(saturday_night, tick=True):
        cast.parent.says("ありがとうございます。よろしくお願いします")
    assert cast.parent.heard("Our specialists answer during office hours")
    assert cast.parent.heard("1/12/27") or cast.parent.heard("2027")  # Tuesday (成人の日 Monday)


def test_a_parent_may_send_only_a_few_requests_a_day(cast: Cast):
    for _ in range(3):
        ask(cast, "相談です")
    with cast.bot.tsunagu.db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(Case))
    ask(cast, "もう一度")
    assert cast.parent.heard("You have already sent several requests today")
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before == 3


def test_danger_in_a_parents_message_opens_one_alert_case_paged_once(cast: Cast):
    parent_with_stage(cast)
    cast.parent.says("夫に殴られる、こわい")
    assert cast.parent.heard("#8008")  # the DV line at once
    case = cast.last_case()
    assert (case.kind, case.urgency, case.reference[:2]) == ("alert", "urgent", "A-")
    (alert,) = cast.basic.replies()
    assert alert["template"]["text"].startswith("Urgent: danger signs in a parent's message")
    assert "violence at home" in alert["template"]["text"] and "殴" not in str(alert)
    assert not cast.basic_south.replies()  # out of scope: not paged
    cast.parent.says("もうしにたい")  # more danger: the same case, no second page
    assert cast.parent.heard("0120-000-556")
    assert not cast.basic.replies()
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        case = session.get(Case, case.id)
        assert case.detail["categories"] == ["dv", "suicide"]
        urgent = session.scalars(
            select(OutboxMessage.urgent).where(OutboxMessage.to == cast.basic.user_id)
        )
        assert list(urgent)[-1] is True

    # The alert is a case: claimed, written from, closed.
    claim = next(a for a in alert["template"]["actions"] if a["label"] == "Claim")
    cast.basic.taps_data(claim["data"])
    assert cast.basic.heard(f"{case.reference} is yours now.")
    cast.basic.taps("Reply")
    cast.basic.says("市の専門員です。いまお話しできますか")
    assert "市の専門員です" in cast.parent.replies()[0]["text"]
    cast.basic.says("#" + cast.last_case().reference)
    assert cast.basic.heard("Danger signs: violence at home、thoughts of suicide")
    cast.basic.taps("Close")
    cast.basic.taps("To protection")
    cast.basic.taps("Close it")
    assert cast.last_case().outcome == "protection"


def test_a_request_out_of_hours_says_when_a_specialist_will_see_it(cast: Cast):
    sunday = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)  # 12:00 on a Sunday in Tokyo
    with time_machine.travel(sunday, tick=True):
        ask(cast)
    assert cast.parent.heard("It is outside office hours now")


def test_a_conversation_opened_earlier_in_the_same_batch_relays_the_parents_answer(cast: Cast):
    # A batch reads once which of its speakers have an open conversation (relay.NO_THREAD); the
    # specialist's words, handled first in the same batch, open one: the parent's text after
    # them goes to the specialist, not to the search.
    case = _replying(cast)
    for person, typed in (
        (cast.basic, "明日お電話します"),
        (cast.parent, "保育園の申し込みはいつ？"),
    ):
        message = {"type": "text", "id": "1", "text": typed, "markAsReadToken": uuid4().hex}
        person._send("message", settle=False, message=message)
    cast.bot.settle()
    to_staff = cast.basic.replies()
    assert cast.basic.heard(f"Sent to the family of {case.reference}.")
    notices = [m["template"]["text"] for m in to_staff if "template" in m]
    assert notices == [f"The family wrote on {case.reference}."]
    cast.parent.replies()
    assert cast.parent.heard(f"Your specialist at the city answered ({case.reference}):")
    assert cast.parent.heard(f"Sent to your specialist ({case.reference}).")
