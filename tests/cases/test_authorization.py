"""Authorisation everywhere: every case command and button, tried by people who may not use it.

Parents never see cases; members see only their own notes' status; specialists see cases in
their scope. A postback naming a case is re-checked on every tap, never trusted.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.cases.models import AuditEntry, CaseEvent, Referral
from bot.messaging.postback import CaseTap, Command, ReferralAnswerTap
from bot.simulator.page import make_event
from bot.storage.models import OutboxMessage
from tests.cases.conftest import BASIC, Cast

NOTE = "気になる 1歳の子、あざが見えたことがある"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()

# Every case button, as its data would be (cmd, the answer it carries, picker params).
CASE_BUTTONS = [
    ("case", None, None),
    ("case_note", None, None),
    ("claim", None, None),
    ("act", None, None),
    ("act", "visited", None),
    ("follow_up", None, {"date": TOMORROW}),
    ("refer", None, None),
    ("handover", None, None),
    ("close", None, None),
    ("close", "declined", None),
]
REFUSED = ("not available to you",)


@pytest.fixture
def filed(cast: Cast) -> Cast:
    cast.file_note(NOTE)
    for person in cast.everyone():
        person.replies()
    return cast


def assert_untouched(cast: Cast) -> None:
    case = cast.last_case()
    assert (case.status, case.assignee_id, case.follow_up_on) == ("new", None, None)
    assert case.lead_type == "basic"
    with cast.bot.tsunagu.db.transaction() as session:
        kinds = session.scalars(select(CaseEvent.kind)).all()
        assert kinds == ["filed"]
        assert session.scalar(select(func.count()).select_from(Referral)) == 0


def outsiders(cast: Cast):
    return {
        "parent": cast.parent,
        "reporting member": cast.member,
        "member of another org": cast.other_member,
        "specialist out of scope": cast.basic_south,
    }


@pytest.mark.parametrize("cmd, choice, params", CASE_BUTTONS, ids=lambda v: str(v))
def test_every_case_button_is_refused_to_outsiders(filed: Cast, cmd, choice, params):
    case = filed.last_case()
    for who, person in outsiders(filed).items():
        data = CaseTap(Command(cmd), case.id, case.version, choice).pack()
        person.taps_data(data, params)
        assert any(r in t for t in person.texts() for r in REFUSED), (who, person.texts())
        assert not person.heard("あざ"), who
    assert_untouched(filed)
    with filed.bot.tsunagu.db.transaction() as session:
        refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    # The specialist out of scope is refused by the case check, which audits it.
    assert [(r.case_id, r.detail) for r in refused] == [(case.id, cmd)]


@pytest.mark.parametrize("typed", ["#K-0001", "#k0001", "＃Ｋ－０００１"])
def test_a_reference_opens_only_what_one_may_see(filed: Cast, typed):
    filed.basic_south.says(typed)
    assert filed.basic_south.heard("not available") and not filed.basic_south.heard("Age")
    filed.other_member.says(typed)
    assert filed.other_member.heard("not available")
    filed.member.says(typed)  # the reporter: the status, never more
    assert filed.member.texts() == ["K-0001: received, waiting for a specialist"]
    filed.parent.says(typed)
    assert not filed.parent.heard("K-0001")
    filed.mch.says(typed)  # the other type, every area: in scope
    assert filed.mch.heard("K-0001・Age 1–2・北地区")
    filed.admin.says(typed)
    assert filed.admin.heard("K-0001・Age 1–2・北地区")
    assert_untouched(filed)


def test_a_case_that_does_not_exist_is_refused_like_one_out_of_scope(filed: Cast):
    filed.basic.taps_data("cmd=case_note&case=999")
    assert filed.basic.heard("not available")
    filed.basic.taps_data("cmd=case_note&case=1%20OR%201=1")
    assert filed.basic.heard("not available")
    filed.basic.taps_data("cmd=claim")
    assert filed.basic.heard("not available")


def test_lists_show_only_cases_in_scope(filed: Cast):
    filed.basic_south.taps_data("cmd=unclaimed")
    assert filed.basic_south.heard("No unclaimed cases.")
    filed.basic_south.says("一覧")
    assert filed.basic_south.heard("You have no open cases.")
    filed.other_member.taps_data("cmd=my_notes")
    assert filed.other_member.heard("You have not sent any notes yet")
    for person in (filed.parent, filed.member, filed.other_member):
        person.taps_data("cmd=unclaimed")
        assert person.heard("not available to you")
        person.taps_data("cmd=today")
        assert person.heard("not available to you")
    filed.parent.taps_data("cmd=my_notes")
    assert filed.parent.heard("not available to you")
    filed.basic.taps_data("cmd=my_notes")
    assert filed.basic.heard("not available to you")


def test_only_the_referred_organisation_can_answer(filed: Cast):
    filed.basic.says("#K-0001")
    filed.basic.taps("Refer")
    filed.basic.taps("こけこっこ")
    with filed.bot.tsunagu.db.transaction() as session:
        referral_id = session.scalars(select(Referral.id)).one()
    data = ReferralAnswerTap(referral_id, "accepted").pack()
    for person in (filed.member, filed.parent, filed.basic, filed.basic_south):
        person.taps_data(data)
        assert person.heard("not available to you")
    filed.other_member.taps_data(ReferralAnswerTap(999, "accepted").pack())
    assert filed.other_member.heard("not available to you")
    with filed.bot.tsunagu.db.transaction() as session:
        assert session.scalars(select(Referral.status)).one() == "requested"


def test_a_deactivated_specialist_loses_the_cases(filed: Cast):
    from bot.cases.invites import deactivate
    from bot.cases.models import Staff
    from bot.storage.models import LineUser

    with filed.bot.tsunagu.db.transaction() as session:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == BASIC))
        deactivate(
            session,
            session.scalar(select(Staff).where(Staff.user_id == user.id)),
            filed.bot.tsunagu.runtime.now(),
        )
    filed.basic.taps_data("cmd=case_note&case=1")
    assert filed.basic.heard("not available to you") and not filed.basic.heard("あざ")


def test_group_and_room_chats_get_and_accept_no_case_content(filed: Cast):
    bot = filed.bot
    with bot.tsunagu.db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(OutboxMessage))
    for source in (
        {"type": "group", "groupId": "C" + "1" * 32, "userId": BASIC},
        {"type": "room", "roomId": "R" + "1" * 32, "userId": BASIC},
    ):
        for kind, body in (
            ("postback", {"postback": {"data": "cmd=case_note&case=1"}}),
            ("message", {"message": {"type": "text", "id": "1", "text": "#K-0001"}}),
            ("message", {"message": {"type": "text", "id": "2", "text": NOTE}}),
        ):
            event = make_event(BASIC, kind, "token-" + kind, **body)
            event["source"] = source
            assert bot.post([event]).status_code == 200
    bot.settle()
    with bot.tsunagu.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == before
    assert_untouched(filed)
