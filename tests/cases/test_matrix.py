"""The authorisation matrix (issue #9): every case command and button, tried by every role —
a parent, the member who filed, a member of another organisation, a specialist of each type and
area, a specialist whose registration was taken away, an admin — allowed or refused exactly as
designed, and every refusal logged. (Parents' own cases and the relay: test_parents_cases.py.)"""

import logging

import pytest

from bot.cases.invites import deactivate
from bot.cases.models import Staff
from bot.messaging.postback import CaseTap, Command, MenuTap, OrgTap
from bot.storage.models import get_or_create_user
from tests.cases.conftest import Cast

REFUSED = "not available to you"
# A case about 北地区, age 1–2: the basic type of 北地区 leads; the MCH type covers every area.
MAY_WORK = {"basic", "mch", "admin"}
CASE_COMMANDS = [
    Command.CASE,
    Command.CASE_NOTE,
    Command.CLAIM,
    Command.ACT,
    Command.MEMO,
    Command.FOLLOW_UP,
    Command.REFER,
    Command.HANDOVER,
    Command.CLOSE,
    Command.HISTORY,
]
MENUS = {
    Command.TODAY: MAY_WORK | {"basic_south"},
    Command.UNCLAIMED: MAY_WORK | {"basic_south"},
    Command.MY_NOTES: {"member", "other_member"},
    Command.SALONS_WEEK: {
        "parent",
        "member",
        "other_member",
        "basic",
        "mch",
        "basic_south",
        "admin",
    },
}


def people(cast: Cast) -> dict:
    return {
        "parent": cast.parent,
        "member": cast.member,
        "other_member": cast.other_member,
        "basic": cast.basic,
        "mch": cast.mch,
        "basic_south": cast.basic_south,
        "admin": cast.admin,
    }


@pytest.fixture
def filed(cast: Cast) -> Cast:
    cast.file_note()
    for person in cast.everyone():
        person.replies()
    return cast


def refused(person) -> bool:
    return any(REFUSED in t for t in person.texts())


@pytest.mark.parametrize("command", CASE_COMMANDS, ids=str)
def test_every_case_command_by_every_role(filed: Cast, command, caplog):
    caplog.set_level(logging.WARNING)
    case = filed.last_case()
    params = {"date": "2099-01-01"} if command == Command.FOLLOW_UP else None
    data = CaseTap(command, case.id, case.version).pack()
    outcome = {}
    for role, person in people(filed).items():
        caplog.clear()
        person.taps_data(data, params)
        outcome[role] = not refused(person)
        if not outcome[role]:
            assert "refused" in caplog.text, (role, command)
        person.says("やめる")  # leave any question the command asked
    assert {role for role, ok in outcome.items() if ok} == MAY_WORK


@pytest.mark.parametrize("command", list(MENUS), ids=str)
def test_every_menu_by_every_role(filed: Cast, command, caplog):
    caplog.set_level(logging.WARNING)
    allowed = {}
    for role, person in people(filed).items():
        caplog.clear()
        person.taps_data(MenuTap(command).pack())
        allowed[role] = not refused(person)
        if not allowed[role]:
            assert "refused" in caplog.text, (role, command)
    assert {r for r, ok in allowed.items() if ok} == MENUS[command]


def test_a_specialist_whose_registration_was_taken_away_may_do_nothing(filed: Cast, caplog):
    caplog.set_level(logging.WARNING)
    with filed.bot.tsunagu.db.transaction() as session:
        user = get_or_create_user(session, filed.basic.user_id)
        staff = session.query(Staff).filter_by(user_id=user.id).one()
        deactivate(session, staff, filed.bot.tsunagu.runtime.now())
    case = filed.last_case()
    for command in CASE_COMMANDS + [Command.TODAY, Command.UNCLAIMED]:
        data = (
            CaseTap(command, case.id, case.version)
            if command in CASE_COMMANDS
            else MenuTap(command)
        ).pack()
        caplog.clear()
        filed.basic.taps_data(data)
        assert refused(filed.basic), command
        assert "refused" in caplog.text, command
    for typed in ("一覧", "#K-0001", "K-0001 メモ", "空き状況", "管理画面"):
        filed.basic.says(typed)
        assert not filed.basic.heard("K-0001・"), typed


def test_typed_commands_by_role(filed: Cast):
    expect = {  # what each typed command shows to whom
        "一覧": {"basic"},  # the specialist's own open cases
        "#K-0001": {"basic", "mch", "admin", "member"},  # the member: the status only
        "空き状況": {"basic", "mch", "basic_south", "admin"},
        "管理画面": {"admin"},
    }
    shows = {
        "一覧": "K-0001",
        "#K-0001": "K-0001",
        "空き状況": "Places at the providers",
        "管理画面": "sign-in link",
    }
    for typed, who in expect.items():
        saw = set()
        for role, person in people(filed).items():
            person.says(typed)
            if person.heard(shows[typed]):
                saw.add(role)
            person.says("やめる")
        assert saw == who, typed


def test_asking_a_provider_for_places_is_for_case_workers(filed: Cast):
    data = OrgTap(0, "00000000", Command.AVAIL_ASK).pack()
    for role, person in people(filed).items():
        person.taps_data(data)
        assert refused(person) == (role not in MAY_WORK | {"basic_south"}), role
