"""How a case shows in the chat: its card (what it is, who has it, what happened last, its
buttons) and its whole history, a page at a time.

The card shows what a push may show and who filed it (so a specialist can call them back); the
history shows everyone's words too (memos, reasons, the conversation with the family), so each
page viewed is audited. A case is loaded for a button through ``load_case``, which checks scope
(``access.case_for``) and, for a change, that the case is open and as the button saw it.
"""

from __future__ import annotations

from datetime import timedelta

from bot.cases import access, labels, queries
from bot.cases import messages as m
from bot.cases.models import Case, CaseEvent
from bot.handlers.turn import Turn
from bot.i18n import Translator, _
from bot.messaging.builders import Action, date_picker, postback, text
from bot.messaging.postback import CaseTap, Command
from bot.vocabulary import (
    ACTION_LABELS,
    BASIS_LABELS,
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    TOPIC_LABELS,
    TYPE_LABELS,
    CaseKind,
)

NOT_AVAILABLE = _("Sorry, that case is not available to you.")
STALE = _("That button is from before {ref} last changed. Here it is now:")
RECENT = 5  # events on the card
PAGE = 8  # events on a page of the history
FILED = {
    CaseKind.NOTE: _("Note filed"),
    CaseKind.CONSULT: _("Request received"),
    CaseKind.ALERT: _("Danger signs in a message"),
}
READ_WORDS = {CaseKind.NOTE: _("Read the note"), CaseKind.CONSULT: _("Open the request")}


def say(turn: Turn, body: str, quick: list | None = None) -> None:
    turn.say(text(body, quick_replies=quick))


def say_private(turn: Turn, case: Case, body: str, quick: list, again: Action) -> None:
    """Words that are someone's own go only as a reply; should the reply token have aged,
    the person gets a fresh button to tap instead (never the words in a push)."""
    instead = text(turn.t.gettext("Tap to read it ({ref}).", ref=case.reference), [again])
    turn.say_privately(text(body, quick_replies=quick), instead=[instead])


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
        stale(turn, case)
        return None
    return case


def stale(turn: Turn, case: Case) -> None:
    say(turn, turn.t.gettext(STALE, ref=case.reference))
    case_card(turn, case)


# ---------------------------------------------------------------- the card


def _origin(turn: Turn, case: Case) -> list[str]:
    """Where the case came from: who filed a note; what a parent asked or signalled."""
    t = turn.t
    if case.kind == CaseKind.NOTE:
        reporter = queries.reporter_of(turn.session, case)
        staff = access.staff_record(turn.session, reporter) if reporter else None
        who = " ".join(x for x in (staff.org, staff.name) if x) if staff else ""
        basis = queries.note_basis(turn.session, case)
        return [
            t.gettext("Filed by: {who}", who=who or t.gettext("a member who has left")),
            t.gettext(BASIS_LABELS[basis]) if basis else "",
        ]
    lines = [m.language_fact(t, case.language)]
    if case.kind == CaseKind.CONSULT:
        topic = t.gettext(TOPIC_LABELS.get(case.detail.get("topic"), TOPIC_LABELS["other"]))
        lines.insert(0, t.gettext("A parent's request: {topic}", topic=topic))
    else:
        lines.insert(0, t.gettext("Danger signs: {kinds}", kinds=m.dangers(t, case)))
    if case.relay_open:
        lines.append(t.gettext("In conversation with the family"))
    return lines


def case_card(turn: Turn, case: Case) -> None:
    t = turn.t
    if case.assignee_id == turn.user.id:
        who = t.gettext("You have it.")
    elif case.assignee_id:
        who = t.gettext("Another specialist has it.")
    else:
        who = t.gettext(labels.STATUS_LABELS["new"])
    lines = [m.summary(t, case, turn.city), t.gettext(TYPE_LABELS[case.lead_type]), who]
    lines += [line for line in _origin(turn, case) if line]
    if case.status == "closed":
        closed = OUTCOME_LABELS.get(case.outcome or "", labels.STATUS_LABELS["closed"])
        lines.append(t.gettext("Closed: {outcome}", outcome=t.gettext(closed)))
    if case.follow_up_on:
        lines.append(t.gettext("Next follow-up: {day}", day=t.day(case.follow_up_on)))
    for referral in queries.referrals_of(turn.session, case.id):
        status = t.gettext(labels.REFERRAL_LABELS[referral.status])
        how = (
            f"（{t.gettext(CHANNEL_LABELS[referral.channel])}）"
            if referral.channel != "line"
            else ""
        )
        lines.append(f"→ {referral.org}{how}: {status}")
    for event in queries.recent_events(turn.session, case.id, RECENT):
        lines.append(f"{t.datetime(event.at, 'short')} {event_label(t, case, event)}")
    say(turn, "\n".join(lines), case_buttons(turn, case))


def case_buttons(turn: Turn, case: Case) -> list[Action]:
    t = turn.t
    actions = []
    if case.kind in READ_WORDS:
        actions.append(m.case_button(t.gettext(READ_WORDS[case.kind]), Command.CASE_NOTE, case))
    if case.status != "closed":
        if case.assignee_id != turn.user.id:
            actions.append(m.case_button(t.gettext("Claim"), Command.CLAIM, case))
        if case.parent_id:
            actions.append(m.case_button(t.gettext("Reply"), Command.REPLY, case))
        tomorrow = turn.today + timedelta(days=1)
        picker = CaseTap(Command.FOLLOW_UP, case.id, case.version).pack()
        actions += [
            m.case_button(t.gettext("Log an action"), Command.ACT, case),
            m.case_button(t.gettext("Memo"), Command.MEMO, case),
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
        for referral in queries.referrals_of(turn.session, case.id):
            if referral.channel != "line" and referral.status in ("requested", "accepted"):
                label = t.gettext("Answer of {org}", org=referral.org)
                choice = str(referral.id)
                actions.append(m.case_button(label, Command.REF_ENTER, case, choice))
    if case.parent_id:
        actions.append(m.case_button(t.gettext("Conversation"), Command.THREAD, case))
    actions.append(m.case_button(t.gettext("History"), Command.HISTORY, case, "0"))
    return actions


# ---------------------------------------------------------------- the history


def event_label(t: Translator, case: Case, event: CaseEvent) -> str:
    """What happened, in codes made words (never anyone's own words: those are the history's)."""
    d = event.detail or {}
    if event.kind == "filed":
        return t.gettext(FILED[case.kind])
    label = t.gettext(labels.EVENT_LABELS.get(event.kind, event.kind))
    if event.kind == "action":
        label += "：" + t.gettext(ACTION_LABELS.get(d.get("action"), "Other"))
    elif event.kind == "closed" and d.get("outcome") in OUTCOME_LABELS:
        label += "：" + t.gettext(OUTCOME_LABELS[d["outcome"]])
    elif event.kind in ("referred", "referral_answer") and d.get("org"):
        label += "：" + d["org"]
        if d.get("answer") in labels.REFERRAL_LABELS:
            label += " " + t.gettext(labels.REFERRAL_LABELS[d["answer"]])
    elif event.kind == "handed_over" and d.get("to") in TYPE_LABELS:
        label += "：" + t.gettext(TYPE_LABELS[d["to"]])
    elif event.kind == "message":
        side = _("from the family") if d.get("side") == "parent" else _("to the family")
        label += "（" + t.gettext(side) + "）"
    return label


def history(turn: Turn, case: Case, page: int) -> None:
    """One page of the whole history, newest first: who, when, what, and the words (audited)."""
    t = turn.t
    events, more = queries.history_page(turn.session, case.id, page, PAGE)
    access.audit(turn.session, turn.user, "view_history", turn.now, case_id=case.id)
    names = queries.actor_names(turn.session, {e.actor_id for e in events if e.actor_id})
    head = t.gettext("History of {ref} (page {page})", ref=case.reference, page=page + 1)
    lines = [head]
    for event in events:
        who = names.get(event.actor_id) or (
            t.gettext("the family") if event.actor_id and event.actor_id == case.parent_id else "-"
        )
        line = f"{t.datetime(event.at, 'short')} {who}: {event_label(t, case, event)}"
        if event.words:
            line += f"\n  「{event.words}」"
        lines.append(line)
    if not events:
        lines.append(t.gettext("Nothing more."))
    quick = [m.open_button(t, case)]
    if more:
        older = t.gettext("Older")
        data = CaseTap(Command.HISTORY, case.id, None, str(page + 1)).pack()
        quick.insert(0, postback(older, data))
    again = m.case_button(t.gettext("History"), Command.HISTORY, case, str(page))
    say_private(turn, case, "\n".join(lines), quick, again)
