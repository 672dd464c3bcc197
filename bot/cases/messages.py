"""What a case looks like in a push or a button: its summary line, the new-case push, the
referral request to a provider. Never a family's words: those are shown only by the handler
that reads the note (``bot.handlers.casework``), through ``access.read_note``."""

from __future__ import annotations

from bot.cases.models import Case, Referral
from bot.city import City
from bot.i18n import Translator, _
from bot.messaging.builders import Action, Message, buttons, postback
from bot.messaging.postback import CaseTap, Command, ReferralAnswerTap
from bot.vocabulary import STAGE_LABELS, URGENCY_LABELS

ANSWER_BUTTONS = {
    "accepted": _("Can accept"),
    "started": _("Started using"),
    "declined": _("Cannot (reason)"),
}


def summary(t: Translator, case, city: City) -> str:
    """K-0042・0歳・北地区・至急: what a push may say about a case (a Case or a CaseLine)."""
    parts = [case.reference, t.gettext(STAGE_LABELS[case.stage]), city.area_name(case.area)]
    parts.append(t.gettext(URGENCY_LABELS[case.urgency]))
    return "・".join(parts)


def case_button(label: str, command: Command, case: Case, choice: str | None = None) -> Action:
    """A button about a case, stamped with its version (an older one will not change it)."""
    return postback(label, CaseTap(command, case.id, case.version, choice).pack())


def open_button(t: Translator, case) -> Action:
    """Opening a case needs no version: it shows the case as it is now."""
    return postback(t.gettext("Open"), CaseTap(Command.CASE, case.id).pack())


def new_case_push(t: Translator, case: Case, city: City, *, lead: bool) -> Message:
    """A new note routed to a specialist: reference, stage, area, urgency and buttons only."""
    if lead:
        head = t.gettext("New concern note for you")
    else:
        head = t.gettext("New concern note (for your information: the other type leads)")
    body = f"{head}\n{summary(t, case, city)}"
    actions = [
        case_button(t.gettext("Read the note"), Command.CASE_NOTE, case),
        case_button(t.gettext("Claim"), Command.CLAIM, case),
        open_button(t, case),
    ]
    return buttons(body, actions, alt_text=head + " " + case.reference)


def referral_request(t: Translator, case, referral: Referral, city: City) -> Message:
    """A provider is asked whether it can take a family on: the summary, never the note."""
    body = t.gettext(
        "A specialist asks whether your organisation can take on a family "
        "({summary}). They will contact you with the details. Please answer:",
        summary=summary(t, case, city),
    )
    actions = [
        postback(t.gettext(label), ReferralAnswerTap(referral.id, a).pack(), t.gettext(label))
        for a, label in ANSWER_BUTTONS.items()
    ]
    return buttons(body, actions, alt_text=t.gettext("Referral request {ref}", ref=case.reference))
