"""What staff see about a case: labels, the push, the card. Never a family's words in a push."""

from __future__ import annotations

from bot.cases.labels import STAGE_LABELS, URGENCY_LABELS, area_name
from bot.cases.models import Case
from bot.dialogs.engine import encode_postback
from bot.i18n import Translator
from bot.messaging.builders import Message, buttons, postback


def summary(t: Translator, case: Case, city: dict) -> str:
    """K-0042・0歳・北地区・至急: what a push may say about a case."""
    parts = [case.reference, t.gettext(STAGE_LABELS[case.stage]), area_name(city, case.area)]
    parts.append(t.gettext(URGENCY_LABELS[case.urgency]))
    return "・".join(parts)


def case_data(cmd: str, case: Case, **more: str) -> str:
    return encode_postback(cmd=cmd, case=str(case.id), **more)


def new_case_push(t: Translator, case: Case, city: dict, *, lead: bool) -> Message:
    """A new note routed to a specialist: reference, stage, area, urgency and buttons only."""
    if lead:
        head = t.gettext("New concern note for you")
    else:
        head = t.gettext("New concern note (for your information: the other type leads)")
    body = f"{head}\n{summary(t, case, city)}"
    actions = [
        postback(t.gettext("Read the note"), case_data("case_note", case)),
        postback(t.gettext("Claim"), case_data("claim", case)),
        postback(t.gettext("Open"), case_data("case", case)),
    ]
    return buttons(body, actions, alt_text=head + " " + case.reference)
