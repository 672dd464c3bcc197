"""A specialist works a case from the chat: read its words, claim it, log an action, write a
memo, set a follow-up date, hand it over, close it, page through its history.

Every button names its case by id and version (``messaging.postback.CaseTap``) and the case is
loaded through ``casecard.load_case``. A step with a question (which action, how it ended, a
memo) is a dialog, so やめる works and an old answer is refused; what it decides is carried out
here after the case is checked again (still in scope, open, and — for a change of state — as
it was when the question was asked).
"""

from __future__ import annotations

import re
from datetime import date

from bot.cases import access, workflow
from bot.cases import messages as m
from bot.cases.models import Case
from bot.dialogs.case_action import case_action
from bot.dialogs.case_close import case_close
from bot.dialogs.case_handover import case_handover
from bot.dialogs.case_memo import case_memo
from bot.handlers.casecard import (
    case_buttons,
    case_card,
    history,
    load_case,
    refused,
    say,
    say_private,
    stale,
)
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.intents import AddMemo, CloseCase, HandOver, LogAction
from bot.messaging.postback import CaseTap, Command
from bot.typed import nfkc
from bot.vocabulary import (
    ACTION_LABELS,
    BASIS_LABELS,
    CASE_WORKERS,
    OUTCOME_LABELS,
    TYPE_LABELS,
    SpecialistType,
)

router = Router("casework", dialogs=(case_action, case_memo, case_close, case_handover))

# 「K-0002 母に電話した」: a reference, then the memo's words.
_MEMO = re.compile(r"^#?\s*([KSA])\s*-?\s*(\d{1,9})\s+(\S.*)$", re.S)


def _start(turn: Turn, dialog, case: Case, **data) -> None:
    turn.start(dialog, case=case.id, version=case.version, ref=case.reference, **data)


def case_for_intent(turn: Turn, case_id: int, what: str, version: int | None = None):
    """The case a finished dialog names, checked again: time has passed since it was asked."""
    case = access.case_for(turn.session, turn.user, case_id, what, turn.now)
    if case is None:
        refused(turn)
    elif case.status == "closed":
        say(turn, turn.t.gettext("{ref} is closed.", ref=case.reference))
    elif version is not None and version != case.version:
        stale(turn, case)
    else:
        return case
    return None


# ---------------------------------------------------------------- looking


@router.button(Command.CASE, roles=CASE_WORKERS)
def open_case(turn: Turn, tapped: CaseTap, params: dict) -> None:
    if case := load_case(turn, tapped):
        case_card(turn, case)


@router.button(Command.CASE_NOTE, roles=CASE_WORKERS)
def read_words(turn: Turn, tapped: CaseTap, params: dict) -> None:
    """The note's words, or the parent's request (words and how to reach them): audited."""
    case = load_case(turn, tapped)
    if case is None:
        return
    t = turn.t
    words = access.read_words(turn.session, turn.user, case, turn.now)
    lines = []
    if words.note:
        basis = t.gettext(BASIS_LABELS[words.note.legal_basis])
        when = t.datetime(words.note.created_at, "short")
        lines += [
            t.gettext("{ref} — filed {when} ({basis})", ref=case.reference, when=when, basis=basis),
            "",
            words.note.text,
        ]
        if words.note.birth_month:
            lines.append(t.gettext("Birth or due month: {month}", month=words.note.birth_month))
    if words.request:
        contact = words.request.contact
        how = t.gettext("by LINE") if contact == "line" else (contact or "-")
        lines += [
            t.gettext("Consultation request {ref}", ref=case.reference),
            f"■{t.gettext('Contact')}: {how}",
            f"■{t.gettext('In their words')}: {words.request.detail or '-'}",
        ]
    # Providers' reasons are free text too: shown here, where every view is audited.
    for org, reason in words.reasons:
        lines.append(t.gettext("{org} cannot: {reason}", org=org, reason=reason))
    again = m.case_button(t.gettext("Read"), Command.CASE_NOTE, case)
    say_private(turn, case, "\n".join(lines) or case.reference, case_buttons(turn, case), again)


@router.button(Command.HISTORY, roles=CASE_WORKERS)
def case_history(turn: Turn, tapped: CaseTap, params: dict) -> None:
    if case := load_case(turn, tapped):
        page = int(tapped.choice) if (tapped.choice or "").isdigit() else 0
        history(turn, case, min(page, 10_000))


# ---------------------------------------------------------------- claiming and dating


@router.button(Command.CLAIM, roles=CASE_WORKERS)
def claim_case(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    t = turn.t
    telling = case.kind == "note" and case.claimed_at is None  # the member hears once only
    if not workflow.claim(turn.session, case, turn.user, turn.now):
        said = t.gettext("{ref} is already with another specialist or closed.", ref=case.reference)
        say(turn, said)
    elif telling:
        said = t.gettext(
            "{ref} is yours now. The member who filed it was told.", ref=case.reference
        )
        say(turn, said, case_buttons(turn, case))
    else:
        say(turn, t.gettext("{ref} is yours now.", ref=case.reference), case_buttons(turn, case))


@router.button(Command.FOLLOW_UP, roles=CASE_WORKERS)
def follow_up(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    try:
        day = date.fromisoformat((params or {}).get("date", ""))
    except ValueError:
        day = None
    t = turn.t
    if day is None or day < turn.today:
        say(turn, t.gettext("Please pick a date from today on."), case_buttons(turn, case))
        return
    workflow.set_follow_up(turn.session, case, turn.user, day, turn.now)
    said = t.gettext("I will remind you about {ref} on {day}.", ref=case.reference, day=t.day(day))
    say(turn, said, case_buttons(turn, case))


# ---------------------------------------------------------------- questions asked as dialogs


@router.button(Command.ACT, roles=CASE_WORKERS)
def log_action(turn: Turn, tapped: CaseTap, params: dict) -> None:
    if case := load_case(turn, tapped, change=True):
        _start(turn, case_action, case)


@router.intent(LogAction)
def action_logged(turn: Turn, done: LogAction) -> None:
    if done.action not in ACTION_LABELS:
        return
    case = case_for_intent(turn, done.case, "act")
    if case is None:
        return
    t = turn.t
    workflow.log_action(turn.session, case, turn.user, done.action, turn.now, done.memo)
    action = t.gettext(ACTION_LABELS[done.action])
    said = t.gettext("Recorded for {ref}: {action}.", ref=case.reference, action=action)
    say(turn, said, case_buttons(turn, case))


@router.button(Command.MEMO, roles=CASE_WORKERS)
def memo(turn: Turn, tapped: CaseTap, params: dict) -> None:
    if case := load_case(turn, tapped, change=True):
        _start(turn, case_memo, case)


@router.text("case_memo", roles=CASE_WORKERS)
def typed_memo(turn: Turn, typed: str) -> bool:
    """「K-0002 母に電話した」 records a memo on K-0002, after a confirmation."""
    match = _MEMO.match(nfkc(typed))
    if match is None:
        return False
    case = access.case_for(turn.session, turn.user, int(match[2]), "memo", turn.now)
    if case is None or case.reference[0] != match[1].upper():
        refused(turn)
    elif case.status == "closed":
        say(turn, turn.t.gettext("{ref} is closed.", ref=case.reference))
    else:
        _start(turn, case_memo, case, opening=match[3])
    return True


@router.intent(AddMemo)
def memo_added(turn: Turn, added: AddMemo) -> None:
    case = case_for_intent(turn, added.case, "memo")
    if case is not None:
        workflow.add_memo(turn.session, case, turn.user, added.words, turn.now)
        said = turn.t.gettext("Memo recorded on {ref}.", ref=case.reference)
        say(turn, said, case_buttons(turn, case))


@router.button(Command.HANDOVER, roles=CASE_WORKERS)
def handover(turn: Turn, tapped: CaseTap, params: dict) -> None:
    if case := load_case(turn, tapped, change=True):
        _start(turn, case_handover, case, to=SpecialistType(case.lead_type).other)


@router.intent(HandOver)
def handed_over(turn: Turn, asked: HandOver) -> None:
    case = case_for_intent(turn, asked.case, "handover", asked.version)
    if case is None:
        return
    workflow.hand_over(turn.session, case, turn.user, turn.now, turn.city, asked.memo)
    kind = turn.t.gettext(TYPE_LABELS[case.lead_type])
    say(turn, turn.t.gettext("{ref} was handed over to the {type}.", ref=case.reference, type=kind))


@router.button(Command.CLOSE, roles=CASE_WORKERS)
def close_case(turn: Turn, tapped: CaseTap, params: dict) -> None:
    if case := load_case(turn, tapped, change=True):
        _start(turn, case_close, case)


@router.intent(CloseCase)
def closed(turn: Turn, asked: CloseCase) -> None:
    if asked.outcome not in turn.city.outcomes:
        return
    case = case_for_intent(turn, asked.case, "close", asked.version)
    if case is None:
        return
    t = turn.t
    workflow.close(turn.session, case, turn.user, asked.outcome, turn.now)
    outcome = t.gettext(OUTCOME_LABELS[asked.outcome])
    if case.kind == "note":
        said = t.gettext(
            "{ref} is closed ({outcome}). The member who filed it was told.",
            ref=case.reference,
            outcome=outcome,
        )
    else:
        said = t.gettext("{ref} is closed ({outcome}).", ref=case.reference, outcome=outcome)
    say(turn, said)
