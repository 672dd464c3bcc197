"""A parent's consultation request, once the dialog is sent: recorded as a case (S-0001) and
routed; the parent hears the reference and when to expect a specialist."""

from __future__ import annotations

from bot.consultations import service
from bot.dialogs.consult import consult
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.intents import RequestConsultation
from bot.messaging.builders import text

router = Router("consultations", dialogs=(consult,))

OUT_OF_HOURS = _(
    "It is outside office hours now: a specialist will see your request from {when}. If it "
    "cannot wait, call 189 (children) or 110/119 (emergencies)."
)
TOO_MANY = _(
    "You have already sent several requests today, and a specialist has them. They will "
    "contact you; if it cannot wait, call 189 (children) or 110/119 (emergencies)."
)


@router.intent(RequestConsultation)
def request_consultation(turn: Turn, asked: RequestConsultation) -> None:
    t = turn.t
    case = service.record_request(turn.session, turn.user, asked, turn.now, turn.city)
    if case is None:
        turn.say(text(t.gettext(TOO_MANY)))
        return
    said = t.gettext(
        "Sent. Your reference is {ref}. A specialist will contact you within two business days.",
        ref=case.reference,
    )
    calendar = turn.city.calendar
    if not calendar.in_office_hours(turn.now):
        opens = t.datetime(calendar.next_office_opening(turn.now), "short")
        said += "\n" + t.gettext(OUT_OF_HOURS, when=opens)
    turn.say(text(said))
