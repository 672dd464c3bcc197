"""A parent's consultation request: recorded when the dialog is sent, opened by specialists.

The push that announces it carries only its reference, topic, stage and area; the words and the
phone number are shown on demand, to specialists and admins only, and each view is audited.
"""

from __future__ import annotations

import logging

from bot.consultations import service
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.intents import RequestConsultation
from bot.messaging.builders import text
from bot.messaging.postback import Command, ConsultTap
from bot.vocabulary import CASE_WORKERS, STAGE_LABELS, TOPIC_LABELS

log = logging.getLogger(__name__)

router = Router("consultations")


@router.intent(RequestConsultation)
def request_consultation(turn: Turn, asked: RequestConsultation) -> None:
    request = service.record_request(turn.session, turn.user, asked, turn.now, turn.city)
    turn.say(
        text(
            turn.t.gettext(
                "Sent. Your reference is {ref}. A specialist will contact you within "
                "two business days.",
                ref=request.reference,
            )
        )
    )


@router.button(Command.CONSULT_VIEW, roles=CASE_WORKERS)
def view_request(turn: Turn, tapped: ConsultTap, params: dict) -> None:
    t = turn.t
    request = service.open_request(turn.session, turn.user, tapped.request, turn.now)
    if request is None:
        log.warning("user %s asked for consultation request %s: none", turn.user.id, tapped.request)
        turn.say(text(t.gettext("That request no longer exists.")))
        return
    how = t.gettext("by LINE") if request.contact == "line" else (request.contact or "-")
    lines = [
        t.gettext("Consultation request {ref}", ref=request.reference),
        f"■{t.gettext('Topic')}: {t.gettext(TOPIC_LABELS.get(request.topic, 'Something else'))}",
        f"■{t.gettext('Stage')}: {t.gettext(STAGE_LABELS.get(request.stage or '', '-'))}",
        f"■{t.gettext('Area')}: {turn.city.area_name(request.area) or '-'}",
        f"■{t.gettext('Contact')}: {how}",
        f"■{t.gettext('In their words')}: {request.detail or '-'}",
    ]
    turn.say(text("\n".join(lines)))
