"""Danger first: every text is checked before any dialog sees it.

A message that signals abuse, violence, a wish to die or a medical emergency is answered at once
with the emergency routes from the city file (tap-to-call buttons), whatever dialog the sender was
in (the dialog is kept, so nothing they typed is lost), and the specialists are alerted — with no
message text and no family details in the alert.
"""

from __future__ import annotations

import logging

from bot.cases import queries
from bot.handlers.turn import Turn
from bot.i18n import Translator, _
from bot.messaging.builders import buttons, text, uri_action
from bot.messaging.outbox import push_each
from bot.safety import assess
from bot.safety.routes import emergency_lines

log = logging.getLogger(__name__)

CATEGORY_NAMES = {
    "child_abuse": _("a child may be at risk"),
    "dv": _("violence at home"),
    "suicide": _("thoughts of suicide"),
    "medical": _("a medical emergency"),
}


def check(turn: Turn, typed: str) -> bool:
    """Answer a danger signal with the emergency routes; True when one was found."""
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
    alert_specialists(turn, assessment.categories)
    log.warning(
        "danger signal (%s) from user %s", ",".join(sorted(assessment.categories)), turn.user.id
    )
    return True


def alert_specialists(turn: Turn, categories: frozenset[str]) -> None:
    """Tell every active specialist that a danger signal came in: what kind, never what was said."""

    def alert(st: Translator) -> list:
        kinds = "、".join(st.gettext(CATEGORY_NAMES[c]) for c in sorted(categories))
        return [
            text(
                st.gettext(
                    "Urgent: a message with danger signs ({kinds}) came from user "
                    "#{user}. The emergency numbers were given.",
                    kinds=kinds,
                    user=turn.user.id,
                )
            )
        ]

    specialists = [user for user, _staff in queries.specialists(turn.session)]
    push_each(turn.session, specialists, alert, urgent=True)
