"""Danger first: every text a parent sends is checked before any dialog sees it, and answered by
its tier (``bot.safety``), whatever dialog the sender was in (the dialog is kept, so nothing they
typed is lost):

- emergency (happening now, a lethal means, a medical emergency): 110/119 first, at once, and an
  urgent alert;
- crisis (abuse, neglect, DV, a wish to die, another child in danger): 189, the child guidance
  centre, the DV and suicide lines, and an alert;
- concern (exhaustion, losing control, low mood after birth, the bond with the baby): a warm
  answer with the 24-hour lines and the city's consultation, and the offer of a specialist —
  no page at night or at all: the parent decides. The text is then still answered as a
  question (「夜泣きで眠れない、数時間でいいから預けたい」 wants the lines AND somewhere to leave
  the baby); and since the safety net also fires on a few ordinary questions, this is what
  keeps its false alarms from costing a parent their answer;
- a crisis only the safety net saw (no rule named its kind): every crisis line and one bundled
  alert naming no kind, 110/119 only when the message says the danger is now or at hand (an
  emergency then, as the rules' own would be); and since it is the net's word, the text is
  then still answered as a question, as after a concern.

Alerts go through an alert case (``bot.cases.intake.raise_alert``: bundled per parent, capped
city-wide), with no message text and no family details.

Staff are not parents in crisis: a member's note with danger words is filed as urgent by the
note dialog; staff text that nothing else took gets a colleague's reminder of the routes.
"""

from __future__ import annotations

import logging

from bot.cases import intake
from bot.handlers.turn import Turn
from bot.i18n import Translator, _
from bot.knowledge.which_language import detect
from bot.messaging.builders import buttons, postback, text, uri_action
from bot.messaging.postback import DialogEntry
from bot.safety.models import DangerAnswer
from bot.safety.routes import emergency_lines

log = logging.getLogger(__name__)

COLLEAGUE = _(
    "This message mentions danger signs. To send it to the specialists, start it with "
    "「気になる」 (it goes as urgent). If a child or parent is in danger right now, call 110 "
    "(police) or 189 (child guidance)."
)


OPENING = {
    "emergency": _("Please call now."),
    "crisis": _("Please reach out now. You are not alone."),
    "concern": _(
        "Thank you for telling me. That sounds really hard, and you do not have to carry it "
        "alone. These lines listen at any hour:"
    ),
}
OFFER = _("If you like, a specialist of the city can get in touch with you.")


def check(turn: Turn, typed: str) -> bool:
    """Answer a parent's danger signal by its tier. True when the routes were given and nothing
    more should be said (emergency, crisis); after a concern answer, False with
    ``turn.concerned`` set: the text goes on to be answered as a question (so too after a crisis
    only the safety net saw)."""
    assessment = turn.prepared.danger(typed)
    if assessment is None:
        return False
    t = _in_their_words(turn, typed)
    lines = emergency_lines(assessment, turn.city)
    body = [t.gettext(OPENING[assessment.tier])]
    body += [f"☎ {line.phone}  {line.name}\n   {t.gettext(line.why)}" for line in lines]
    turn.urgent = True  # the answer goes at once, whatever the hour
    turn.say(text("\n".join(body)))
    # Tap-to-call buttons for the first lines (a template holds four).
    actions = [
        uri_action(f"{line.phone} {line.name}", "tel:" + line.phone.replace("#", "%23"))
        for line in lines[:4]
    ]
    if actions:
        turn.say(buttons(t.gettext("Tap to call"), actions))
    kinds = sorted(assessment.kinds or assessment.categories)
    turn.session.add(DangerAnswer(at=turn.now, tier=assessment.tier, kinds=kinds))
    if assessment.tier == "concern":
        ask = t.gettext("Ask a specialist")
        # A button in the message itself, not a quick reply: answers to the question may follow,
        # and LINE shows quick replies only under a reply's last message.
        turn.say(buttons(t.gettext(OFFER), [postback(ask, DialogEntry("consult").pack(), ask)]))
        log.info("concern (%s) from user %s", ",".join(sorted(assessment.kinds)), turn.user.id)
        turn.concerned = True
        return False
    # The net knows danger but not its kind: the alert says so (the specialist reads the chat).
    categories = assessment.categories or frozenset({"net"})
    case = intake.raise_alert(turn.session, turn.user, categories, turn.now, turn.city)
    log.warning(
        "danger signal (%s, %s) from user %s: case %s",
        assessment.tier,
        ",".join(sorted(categories)),
        turn.user.id,
        case.id,
    )
    if assessment.net_only:
        turn.concerned = True  # a specialist will be in touch; the question is still answered
        return False
    return True


def _in_their_words(turn: Turn, typed: str) -> Translator:
    """The language the routes are given in: the one the message is written in when that can be
    told and differs from the parent's setting (a new parent's first message, or distress in
    one's own language), else the setting. The setting itself is not switched."""
    written = detect(typed)
    return Translator(written) if written and written != turn.user.language else turn.t


def advise_colleague(turn: Turn, typed: str) -> bool:
    """Staff text with danger signs that no command or dialog took: the routes, as to a
    colleague (never the answer meant for a parent in crisis)."""
    if turn.prepared.danger(typed) is None:
        return False
    turn.say(text(turn.t.gettext(COLLEAGUE)))
    return True
