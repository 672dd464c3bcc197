"""Danger first: every text a parent sends is checked before any dialog sees it.

A message that signals abuse, violence, a wish to die or a medical emergency is answered at once
with the emergency routes from the city file (tap-to-call buttons), whatever dialog the sender was
in (the dialog is kept, so nothing they typed is lost), and the specialists are alerted through
an alert case (``bot.cases.intake.raise_alert``: bundled per parent, capped city-wide) — with no
message text and no family details in the alert.

Staff are not parents in crisis: a member's note with danger words is filed as urgent by the
note dialog; staff text that nothing else took gets a colleague's reminder of the routes.
"""

from __future__ import annotations

import logging

from bot.cases import intake
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.messaging.builders import buttons, text, uri_action
from bot.safety import assess
from bot.safety.routes import emergency_lines

log = logging.getLogger(__name__)

COLLEAGUE = _(
    "This message mentions danger signs. To send it to the specialists, start it with "
    "「気になる」 (it goes as urgent). If a child or parent is in danger right now, call 110 "
    "(police) or 189 (child guidance)."
)


def check(turn: Turn, typed: str) -> bool:
    """Answer a parent's danger signal with the emergency routes; True when one was found."""
    assessment = assess(typed)
    if assessment is None:
        return False
    t = turn.t
    lines = emergency_lines(assessment, turn.city)
    body = [t.gettext("Please reach out now. You are not alone.")]
    body += [f"☎ {line.phone}  {line.name}\n   {t.gettext(line.why)}" for line in lines]
    turn.urgent = True
    turn.say(text("\n".join(body)))
    # Tap-to-call buttons for the first lines (a template holds four).
    actions = [
        uri_action(f"{line.phone} {line.name}", "tel:" + line.phone.replace("#", "%23"))
        for line in lines[:4]
    ]
    if actions:
        turn.say(buttons(t.gettext("Tap to call"), actions))
    case = intake.raise_alert(turn.session, turn.user, assessment.categories, turn.now, turn.city)
    log.warning(
        "danger signal (%s) from user %s: case %s",
        ",".join(sorted(assessment.categories)),
        turn.user.id,
        case.id,
    )
    return True


def advise_colleague(turn: Turn, typed: str) -> bool:
    """Staff text with danger signs that no command or dialog took: the routes, as to a
    colleague (never the answer meant for a parent in crisis)."""
    if assess(typed) is None:
        return False
    turn.say(text(turn.t.gettext(COLLEAGUE)))
    return True
