"""Buttons that no longer fit: a case button made before the case changed state, a value that
was never offered, a referral answered after its case closed. Each is refused, said so, and
changes nothing."""

from sqlalchemy import func, select

from bot.cases.models import CaseEvent, Referral
from bot.messaging.postback import CaseTap, Command, DialogTap, ReferralAnswerTap
from bot.storage.models import Conversation
from tests.cases.conftest import Cast

STALE = "is from before K-0001 last changed"


def events(cast: Cast) -> list[str]:
    with cast.bot.tsunagu.db.transaction() as session:
        return list(session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)))


def test_an_old_claim_after_a_hand_over_is_refused_and_the_case_shown_as_it_is(cast: Cast):
    cast.file_note("気になる 0歳の赤ちゃん、健診に来ていない")
    cast.basic.replies()
    (push,) = cast.mch.replies()  # its Claim button is from version 1
    cast.mch.says("#K-0001")
    cast.mch.taps("Claim")
    cast.mch.taps("Hand over")
    cast.mch.taps("Hand over")  # confirmed
    assert cast.mch.heard("handed over to the Basic type")
    old_claim = next(a for a in push["template"]["actions"] if a["label"] == "Claim")
    cast.mch.taps_data(old_claim["data"])
    assert cast.mch.heard(STALE) and cast.mch.heard("Not yet claimed")
    assert "Claim" in cast.mch.buttons()  # the card's buttons are fresh
    case = cast.last_case()
    assert (case.lead_type, case.status, case.assignee_id) == ("basic", "new", None)
    assert events(cast) == ["filed", "claimed", "handed_over"]


def test_an_old_close_after_another_specialist_claimed_is_refused(cast: Cast):
    cast.file_note()
    cast.basic.replies()
    cast.basic.says("#K-0001")
    old_close = cast.basic.button("Close")
    cast.mch.says("#K-0001")
    cast.mch.taps("Claim")
    cast.basic.taps_data(old_close["data"])
    assert cast.basic.heard(STALE) and cast.basic.heard("Another specialist has it.")
    cast.basic.taps("Close")  # from the fresh card: asks how it ended
    assert cast.basic.heard("How did K-0001 end?")
    assert cast.last_case().status == "open"


def conversation(cast: Cast) -> tuple[str, str, str]:
    with cast.bot.tsunagu.db.transaction() as session:
        conv = session.scalars(select(Conversation)).one()
        return conv.dialog, conv.step, conv.session


def test_values_that_were_never_offered_change_nothing(cast: Cast):
    case = cast.file_note()
    cast.basic.replies()
    for command, made_up, asked, offered in (
        (Command.ACT, "bribe", "What did you do for K-0001?", "Home visit"),
        (Command.CLOSE, "vanished", "How did K-0001 end?", "Connected"),
        (Command.REFER, "99", "Refer K-0001 to which organisation?", "こけこっこ"),
    ):
        cast.basic.taps_data(CaseTap(command, case.id, case.version).pack())
        assert cast.basic.heard(asked), command
        dialog, step, sid = conversation(cast)
        cast.basic.taps_data(DialogTap(dialog, step, sid, made_up).pack())
        assert cast.basic.heard("Please choose one of the buttons below."), command
        assert offered in cast.basic.buttons(), command
        cast.basic.says("やめる")
    assert events(cast) == ["filed"] and cast.last_case().status == "new"


def test_a_typed_value_in_a_tapped_field_is_asked_again(cast: Cast):
    member = cast.member
    member.says("気になる 家の前でよく一人で泣いている子がいる")
    assert member.heard("How old is the child?")
    with cast.bot.tsunagu.db.transaction() as session:
        conv = session.scalars(select(Conversation)).one()
        sid = conv.session
    member.taps_data(DialogTap("concern_note", "stage", sid, "age99").pack())
    assert member.heard("Please choose one of the buttons below.")
    member.taps("Age 3 to school")
    member.taps_data(DialogTap("concern_note", "urgency", sid, "山田花子090-1234-5678").pack())
    assert member.heard("Please choose one of the buttons below.")
    assert member.buttons() == ["Normal", "Soon", "Urgent"]
    member.taps_data(DialogTap("concern_note", "urgency", sid, "山田 花子").pack())
    assert member.heard("That button has expired")  # not even the shape of our data …
    assert member.buttons() == ["Normal", "Soon", "Urgent"]  # … and the question is asked again
    member.taps("Normal")
    member.taps("Parent agreed")
    member.taps("Send")
    case = cast.last_case()
    assert (case.stage, case.urgency, case.area) == ("age3_preschool", "normal", "kita")


def test_a_referral_answer_after_the_case_closed_is_refused(cast: Cast):
    cast.file_note()
    cast.basic.replies()
    cast.basic.says("#K-0001")
    cast.basic.taps("Refer")
    cast.basic.taps("こけこっこ")
    (request,) = cast.other_member.replies()
    accept = next(a for a in request["template"]["actions"] if a["label"] == "Can accept")
    cast.other_member.taps_data(accept["data"])
    cast.other_member.taps_data(accept["data"])  # the same answer again: nothing follows from it
    assert cast.other_member.heard("no longer open")
    cast.basic.says("#K-0001")
    cast.basic.taps("Close")
    cast.basic.taps("Family declined")
    cast.basic.taps("Close it")
    cast.basic.replies()
    started = next(a for a in request["template"]["actions"] if a["label"] == "Started using")
    cast.other_member.taps_data(started["data"])
    assert cast.other_member.heard("no longer open")
    assert not cast.basic.replies()  # nobody was told anything
    with cast.bot.tsunagu.db.transaction() as session:
        assert session.scalars(select(Referral.status)).one() == "accepted"
        answers = session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "referral_answer")
        )
        assert answers == 1
    made_up = ReferralAnswerTap(1, "maybe").pack()
    cast.other_member.taps_data(made_up)
    assert cast.other_member.heard("not available to you")
