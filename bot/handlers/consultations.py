"""Specialists open a parent's consultation request: what they wrote and how to reach them.

The push that announced it carried only its reference, topic, stage and area; the words and the
phone number are shown on demand, to specialists only, and each view is audited (never the text).
"""

from __future__ import annotations

import logging

from bot.cases.labels import STAGE_LABELS, area_name
from bot.cases.models import AuditEntry
from bot.dialogs.consult import TOPIC_LABELS
from bot.handlers.registry import button_command
from bot.handlers.turn import Turn
from bot.messaging.builders import text
from bot.storage.models import ConsultationRequest

log = logging.getLogger(__name__)

STAFF = frozenset({"specialist", "admin"})


@button_command("consult_view", roles=STAFF)
def view_request(turn: Turn, fields: dict[str, str], params: dict) -> None:
    t = turn.t
    raw = fields.get("id", "")
    request = turn.session.get(ConsultationRequest, int(raw)) if raw.isdigit() else None
    if request is None:
        log.warning("user %s asked for consultation request %r: none", turn.user.id, raw[:12])
        turn.say(text(t.gettext("That request no longer exists.")))
        return
    turn.session.add(
        AuditEntry(
            actor_id=turn.user.id, action="view_consult", detail=request.reference, at=turn.now
        )
    )
    how = t.gettext("by LINE") if request.contact == "line" else (request.contact or "-")
    lines = [
        t.gettext("Consultation request {ref}", ref=request.reference),
        f"■{t.gettext('Topic')}: {t.gettext(TOPIC_LABELS.get(request.topic, 'Something else'))}",
        f"■{t.gettext('Stage')}: {t.gettext(STAGE_LABELS.get(request.stage or '', '-'))}",
        f"■{t.gettext('Area')}: {area_name(turn.services.city, request.area) or '-'}",
        f"■{t.gettext('Contact')}: {how}",
        f"■{t.gettext('In their words')}: {request.detail or '-'}",
    ]
    turn.say(text("\n".join(lines)))
