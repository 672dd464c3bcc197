"""A specialist works a case from the chat: its card, reading the note, claim, log an action,
a follow-up date, hand over to the other type, close with an outcome.

Every button names its case by id and version (``messaging.postback.CaseTap``). The case is
loaded through ``access.case_for``, which checks the speaker's scope on every tap and audits a
refusal; a change asked by a button made before the case last changed state is refused, and
the case is shown as it is now. The note's words are shown only by 「Read the note」, audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.cases import access, labels, queries, workflow
from bot.cases import messages as m
from bot.cases.models import Case
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.messaging.builders import Action, date_picker, postback, text
from bot.messaging.postback import CaseTap, Command
from bot.vocabulary import BASIS_LABELS, CASE_WORKERS, TYPE_LABELS

router = Router("casework")

NOT_AVAILABLE = _("Sorry, that case is not available to you.")
STALE = _("That button is from before {ref} last changed. Here it is now:")
HISTORY = 5  # the card's last events


def say(turn: Turn, body: str, quick: list | None = None) -> None:
    turn.say(text(body, quick_replies=quick))


def refused(turn: Turn) -> None:
    say(turn, turn.t.gettext(NOT_AVAILABLE))


def load_case(turn: Turn, tapped: CaseTap, *, change: bool = False) -> Case | None:
    """The case a button names, if the speaker may see it; for a change, also open and as the
    button saw it (otherwise the speaker is told, and shown the case as it is now)."""
    case = access.case_for(turn.session, turn.user, tapped.case, tapped.command, turn.now)
    if case is None:
        refused(turn)
        return None
    if change and case.status == "closed":
        say(turn, turn.t.gettext("{ref} is closed.", ref=case.reference))
        return None
    if change and tapped.version != case.version:
        say(turn, turn.t.gettext(STALE, ref=case.reference))
        case_card(turn, case)
        return None
    return case


# ---------------------------------------------------------------- the card and its buttons


def case_card(turn: Turn, case: Case) -> None:
    t = turn.t
    if case.assignee_id == turn.user.id:
        who = t.gettext("You have it.")
    elif case.assignee_id:
        who = t.gettext("Another specialist has it.")
    else:
        who = t.gettext(labels.STATUS_LABELS["new"])
    lines = [m.summary(t, case, turn.city), t.gettext(TYPE_LABELS[case.lead_type]), who]
    if case.status == "closed":
        closed = labels.OUTCOME_LABELS.get(case.outcome or "", labels.STATUS_LABELS["closed"])
        lines.append(t.gettext("Closed: {outcome}", outcome=t.gettext(closed)))
    if case.follow_up_on:
        lines.append(t.gettext("Next follow-up: {day}", day=t.day(case.follow_up_on)))
    for referral in queries.referrals_of(turn.session, case.id):
        lines.append(f"→ {referral.org}: {t.gettext(labels.REFERRAL_LABELS[referral.status])}")
    for event in queries.recent_events(turn.session, case.id, HISTORY):
        label = t.gettext(labels.EVENT_LABELS.get(event.kind, event.kind))
        if event.kind == "action":
            action = labels.ACTION_LABELS.get(event.detail.get("action"), "Other")
            label += "：" + t.gettext(action)
        lines.append(f"{t.datetime(event.at, 'short')} {label}")
    say(turn, "\n".join(lines), case_buttons(turn, case))


def case_buttons(turn: Turn, case: Case) -> list[Action]:
    t = turn.t
    actions = [m.case_button(t.gettext("Read the note"), Command.CASE_NOTE, case)]
    if case.status == "closed":
        return actions
    if case.assignee_id != turn.user.id:
        actions.append(m.case_button(t.gettext("Claim"), Command.CLAIM, case))
    tomorrow = turn.today + timedelta(days=1)
    picker = CaseTap(Command.FOLLOW_UP, case.id, case.version).pack()
    actions += [
        m.case_button(t.gettext("Log an action"), Command.ACT, case),
        date_picker(
            t.gettext("Follow-up date"),
            picker,
            initial=tomorrow.isoformat(),
            min_=turn.today.isoformat(),
        ),
        m.case_button(t.gettext("Refer"), Command.REFER, case),
        m.case_button(t.gettext("Hand over"), Command.HANDOVER, case),
        m.case_button(t.gettext("Close"), Command.CLOSE, case),
    ]
    return actions


def ask_which(turn: Turn, case: Case, command: Command, options: dict, question: str) -> None:
    """Ask which code a case button means, one quick reply per labelled code."""
    t = turn.t
    quick = [
        postback(
            t.gettext(label), CaseTap(command, case.id, case.version, code).pack(), t.gettext(label)
        )
        for code, label in options.items()
    ]
    say(turn, question, quick)


# ---------------------------------------------------------------- the commands


@router.button(Command.CASE, roles=CASE_WORKERS)
def open_case(turn: Turn, tapped: CaseTap, params: dict) -> None:
    if case := load_case(turn, tapped):
        case_card(turn, case)


@router.button(Command.CASE_NOTE, roles=CASE_WORKERS)
def read_note(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped)
    if case is None:
        return
    t = turn.t
    view = access.read_note(turn.session, turn.user, case, turn.now)
    head = t.gettext(
        "{ref} — filed {when} ({basis})",
        ref=case.reference,
        when=t.datetime(view.note.created_at, "short"),
        basis=t.gettext(BASIS_LABELS[view.note.legal_basis]),
    )
    body = f"{head}\n\n{view.note.text}"
    if view.note.birth_month:
        body += "\n" + t.gettext("Birth or due month: {month}", month=view.note.birth_month)
    # Providers' reasons are free text too: shown here, where every view is audited.
    for org, reason in view.reasons:
        body += "\n" + t.gettext("{org} cannot: {reason}", org=org, reason=reason)
    say(turn, body, case_buttons(turn, case))


@router.button(Command.CLAIM, roles=CASE_WORKERS)
def claim_case(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    t = turn.t
    if workflow.claim(turn.session, case, turn.user, turn.now):
        said = t.gettext(
            "{ref} is yours now. The member who filed it was told.", ref=case.reference
        )
        say(turn, said, case_buttons(turn, case))
    else:
        say(
            turn,
            t.gettext("{ref} is already with another specialist or closed.", ref=case.reference),
        )


@router.button(Command.ACT, roles=CASE_WORKERS)
def log_action(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    t = turn.t
    if tapped.choice not in labels.ACTION_LABELS:  # not chosen yet, or not one we offered
        question = t.gettext("What did you do for {ref}?", ref=case.reference)
        ask_which(turn, case, Command.ACT, labels.ACTION_LABELS, question)
        return
    workflow.log_action(turn.session, case, turn.user, tapped.choice, turn.now)
    action = t.gettext(labels.ACTION_LABELS[tapped.choice])
    said = t.gettext("Recorded for {ref}: {action}.", ref=case.reference, action=action)
    say(turn, said, case_buttons(turn, case))


@router.button(Command.FOLLOW_UP, roles=CASE_WORKERS)
def follow_up(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    try:
        day = date.fromisoformat((params or {}).get("date", ""))
    except ValueError:
        day = None
    if day is None or day < turn.today:
        say(turn, turn.t.gettext("Please pick a date from today on."), case_buttons(turn, case))
        return
    workflow.set_follow_up(turn.session, case, turn.user, day, turn.now)
    said = turn.t.gettext(
        "I will remind you about {ref} on {day}.", ref=case.reference, day=turn.t.day(day)
    )
    say(turn, said)


@router.button(Command.HANDOVER, roles=CASE_WORKERS)
def handover(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    workflow.hand_over(turn.session, case, turn.user, turn.now, turn.city)
    kind = turn.t.gettext(TYPE_LABELS[case.lead_type])
    say(turn, turn.t.gettext("{ref} was handed over to the {type}.", ref=case.reference, type=kind))


@router.button(Command.CLOSE, roles=CASE_WORKERS)
def close_case(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    t = turn.t
    if tapped.choice not in labels.OUTCOME_LABELS:  # not chosen yet, or not one we offered
        question = t.gettext("How did {ref} end?", ref=case.reference)
        ask_which(turn, case, Command.CLOSE, labels.OUTCOME_LABELS, question)
        return
    workflow.close(turn.session, case, turn.user, tapped.choice, turn.now)
    outcome = t.gettext(labels.OUTCOME_LABELS[tapped.choice])
    said = t.gettext(
        "{ref} is closed ({outcome}). The member who filed it was told.",
        ref=case.reference,
        outcome=outcome,
    )
    say(turn, said)
