"""The conversation between a specialist and a family, through the bot (``bot.cases.relay``):
「返信する」 on a request or alert, what the family writes back, reading it (既読), ending it.

A parent in an open conversation who types outside any dialog is writing to their specialist;
outside office hours they are told when to expect an answer.
"""

from __future__ import annotations

from bot.cases import access, relay, workflow
from bot.cases import messages as m
from bot.dialogs.relay import relay as relay_dialog
from bot.handlers.casecard import case_buttons, load_case, refused, say, say_private
from bot.handlers.casework import case_for_intent
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.intents import RelayToParent
from bot.messaging.builders import text
from bot.messaging.postback import CaseTap, Command
from bot.vocabulary import CASE_WORKERS, EVERYONE, Role

router = Router("relay", dialogs=(relay_dialog,))

OUT_OF_HOURS = _(
    "Our specialists answer during office hours. You can expect an answer from {when}. "
    "If it cannot wait, call 189 (children) or 110/119 (emergencies)."
)


@router.button(Command.REPLY, roles=CASE_WORKERS)
def reply(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped)
    if case is None:
        return
    if case.parent_id is None or case.status == "closed":
        refused(turn)
        return
    turn.start(relay_dialog, case=case.id, ref=case.reference, language=case.language)


@router.intent(RelayToParent)
def relayed(turn: Turn, sent: RelayToParent) -> None:
    case = case_for_intent(turn, sent.case, "reply")
    if case is None:
        return
    t = turn.t
    if case.assignee_id is None:  # writing to the family is taking the case on
        workflow.claim(turn.session, case, turn.user, turn.now)
    if relay.to_parent(turn.session, case, turn.user, sent.words, turn.now):
        say(
            turn,
            t.gettext("Sent to the family of {ref}.", ref=case.reference),
            case_buttons(turn, case),
        )
    else:
        say(
            turn,
            t.gettext("The family of {ref} can no longer be reached here.", ref=case.reference),
        )


@router.button(Command.THREAD, roles=CASE_WORKERS)
def thread(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped)
    if case is None or case.parent_id is None:
        return
    t = turn.t
    lines = [t.gettext("Conversation on {ref}", ref=case.reference)]
    for event in relay.read_thread(turn.session, turn.user, case, turn.now):
        who = t.gettext("Family") if event.detail.get("side") == "parent" else t.gettext("City")
        lines.append(f"{t.datetime(event.at, 'short')} {who}:\n{event.words}")
    if len(lines) == 1:
        lines.append(t.gettext("Nothing has been written yet."))
    again = m.case_button(t.gettext("Conversation"), Command.THREAD, case)
    say_private(turn, case, "\n".join(lines), case_buttons(turn, case), again)


@router.button(Command.END_RELAY, roles=EVERYONE)
def end(turn: Turn, tapped: CaseTap, params: dict) -> None:
    """Either side ends the conversation (a parent only their own)."""
    if turn.user.role == Role.PARENT:
        case = access.case_of_parent(turn.session, turn.user, tapped.case)
    elif turn.user.role in CASE_WORKERS:
        case = access.case_for(turn.session, turn.user, tapped.case, "end_relay", turn.now)
    else:
        case = None
    t = turn.t
    if case is None or not case.relay_open:
        say(turn, t.gettext("That conversation has already ended."))
        return
    relay.end(turn.session, case, turn.user, turn.now)
    say(turn, t.gettext("The conversation has ended. Thank you."))


@router.text("relay_from_parent", roles=frozenset({Role.PARENT}))
def from_parent(turn: Turn, typed: str) -> bool:
    """Outside any dialog, a parent in a conversation is writing to their specialist."""
    if turn.place() is not None:
        return False
    case = relay.open_thread(turn.session, turn.user)
    if case is None:
        return False
    relay.from_parent(turn.session, case, turn.user, typed[:2000], turn.read_token, turn.now)
    t = turn.t
    said = t.gettext("Sent to your specialist ({ref}).", ref=case.reference)
    if not turn.city.calendar.in_office_hours(turn.now):
        when = t.datetime(turn.city.calendar.next_office_opening(turn.now), "short")
        said += "\n" + t.gettext(OUT_OF_HOURS, when=when)
    turn.say(text(said, quick_replies=[relay.end_button(t, case)]))
    return True
