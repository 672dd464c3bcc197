"""Lists of cases and a case by its reference: 「一覧」 (a specialist's open cases), today's
follow-ups, the unclaimed notes in scope, 「#K-0042」, and a member's own notes' status.

Lists show what a push may show (reference, stage, area, urgency); scope is
``access.scope_filter``, the same rule as ``access.in_scope``.
"""

from __future__ import annotations

import re

from bot.cases import access, queries
from bot.cases import messages as m
from bot.cases.models import Case
from bot.handlers.casecard import case_card, refused, say
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.messaging.builders import message_action
from bot.messaging.postback import Command, MenuTap
from bot.typed import nfkc
from bot.vocabulary import CASE_WORKERS, MEMBERS, STAFF_ROLES

router = Router("caselists")

LIST_WORDS = ("一覧", "いちらん")
QUICK_OPEN = 13  # LINE shows at most 13 quick-reply buttons
_REF = re.compile(r"^#?\s*([KSA])\s*-?\s*(\d{1,9})$")
NOTE_STATUS = {
    "new": _("received, waiting for a specialist"),
    "open": _("picked up by a specialist"),
    "closed": _("closed"),
}


def _list(turn: Turn, cases: list[Case], empty: str, head: str) -> None:
    t = turn.t
    if not cases:
        say(turn, t.gettext(empty))
        return
    lines = [t.gettext(head)]
    for case in cases[: queries.LIST_LIMIT]:
        line = m.summary(t, case, turn.city)
        if case.follow_up_on:
            line += "・" + t.gettext("follow-up {day}", day=t.day(case.follow_up_on))
        lines.append(line)
    quick = [message_action("#" + c.reference) for c in cases[:QUICK_OPEN]]
    say(turn, "\n".join(lines), quick)


def _worker(turn: Turn):
    staff = access.staff_of(turn.session, turn.user)
    if staff is None or staff.role not in CASE_WORKERS:
        refused(turn)
        return None
    return staff


@router.text("case_list", roles=CASE_WORKERS)
def my_cases(turn: Turn, typed: str) -> bool:
    if nfkc(typed) not in LIST_WORDS:
        return False
    if _worker(turn) is not None:
        cases = queries.open_cases_of(turn.session, turn.user.id)
        _list(turn, cases, _("You have no open cases."), _("Your open cases:"))
    return True


@router.button(Command.TODAY, roles=CASE_WORKERS)
def due_today(turn: Turn, tapped: MenuTap, params: dict) -> None:
    if _worker(turn) is not None:
        cases = queries.follow_ups_due(turn.session, turn.user.id, turn.today)
        _list(turn, cases, _("No follow-ups are due today."), _("Follow-ups due today:"))


@router.button(Command.UNCLAIMED, roles=CASE_WORKERS)
def unclaimed(turn: Turn, tapped: MenuTap, params: dict) -> None:
    staff = _worker(turn)
    if staff is not None:
        cases = queries.unclaimed(turn.session, access.scope_filter(staff, turn.user))
        _list(turn, cases, _("No unclaimed cases."), _("Not yet claimed:"))


# The menus' words typed rather than tapped (on the move, the menu closed): the specialists'
# 未担当 and 今日のフォロー, the network members' わたしの報告 (typed, it ran a parent's search).
TYPED_MENU = {
    "未担当": Command.UNCLAIMED,
    "みたんとう": Command.UNCLAIMED,
    "今日のフォロー": Command.TODAY,
    "きょうのフォロー": Command.TODAY,
    "わたしの報告": Command.MY_NOTES,
    "私の報告": Command.MY_NOTES,
    "わたしのほうこく": Command.MY_NOTES,
}


@router.text("menu_words", roles=STAFF_ROLES)
def typed_menu_word(turn: Turn, typed: str) -> bool:
    command = TYPED_MENU.get(nfkc(typed).strip("。 "))
    if command is None:
        return False
    roles, show = _TYPED[command]
    if turn.user.role not in roles:
        return False
    show(turn, MenuTap(command), {})
    return True


def _note_status(turn: Turn, case: Case) -> str:
    return f"{case.reference}: {turn.t.gettext(NOTE_STATUS[case.status])}"


@router.text("case_reference", roles=STAFF_ROLES)
def by_reference(turn: Turn, typed: str) -> bool:
    match = _REF.match(nfkc(typed).upper())
    if match is None:
        return False
    prefix, case_id = match.group(1), int(match.group(2))
    if turn.user.role in CASE_WORKERS:
        case = access.case_for(turn.session, turn.user, case_id, "reference", turn.now)
        if case is None or case.reference[0] != prefix:  # K-0003 is not S-0003's name
            refused(turn)
        else:
            case_card(turn, case)
        return True
    case = access.case_for_reporter(turn.session, turn.user, case_id, turn.now)
    if case is None or prefix != "K":
        refused(turn)
    else:
        say(turn, _note_status(turn, case))
    return True


@router.button(Command.MY_NOTES, roles=MEMBERS)
def my_notes(turn: Turn, tapped: MenuTap, params: dict) -> None:
    if access.staff_of(turn.session, turn.user) is None:
        refused(turn)
        return
    cases = queries.filed_by(turn.session, turn.user.id)
    t = turn.t
    if not cases:
        say(turn, t.gettext('You have not sent any notes yet. Start one with "気になる".'))
        return
    say(turn, "\n".join([t.gettext("Your notes:")] + [_note_status(turn, c) for c in cases]))


# What a typed menu word runs, and for whom: the handler its button runs.
_TYPED = {
    Command.UNCLAIMED: (CASE_WORKERS, unclaimed),
    Command.TODAY: (CASE_WORKERS, due_today),
    Command.MY_NOTES: (MEMBERS, my_notes),
}
