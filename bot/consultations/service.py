"""Recording a parent's request for a specialist, telling the specialists, and opening it.

The push names the request's reference, topic, stage and area; the parent's words and phone
number are shown only when a specialist opens it, and each opening is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.cases import access, queries
from bot.city import City
from bot.consultations.models import ConsultationRequest
from bot.i18n import Translator
from bot.intents import RequestConsultation
from bot.messaging.builders import Message, buttons, postback
from bot.messaging.outbox import push_each
from bot.messaging.postback import ConsultTap
from bot.storage.models import LineUser
from bot.vocabulary import CASE_WORKERS, STAGE_LABELS, TOPIC_LABELS


def record_request(
    session: Session, parent: LineUser, asked: RequestConsultation, now: datetime, city: City
) -> ConsultationRequest:
    """Write the request and tell the specialists (reference, topic, stage, area; no words)."""
    profile = parent.profile or {}
    request = ConsultationRequest(
        user_id=parent.id,
        topic=asked.topic,
        stage=profile.get("stage"),
        area=profile.get("area"),
        detail=asked.detail,
        contact=asked.contact,
        created_at=now,
    )
    session.add(request)
    session.flush()
    specialists = [user for user, _staff in queries.specialists(session)]
    push_each(session, specialists, lambda t: [announcement(t, request, city)])
    return request


def announcement(t: Translator, request: ConsultationRequest, city: City) -> Message:
    body = t.gettext(
        "New consultation request {ref}: {topic}, stage {stage}, area {area}.",
        ref=request.reference,
        topic=t.gettext(TOPIC_LABELS[request.topic]),
        stage=t.gettext(STAGE_LABELS.get(request.stage or "", "")) or "-",
        area=city.area_name(request.area) or "-",
    )
    view = postback(t.gettext("Open the request"), ConsultTap(request.id).pack())
    return buttons(body, [view])


def open_request(
    session: Session, user: LineUser, request_id: int | None, now: datetime
) -> ConsultationRequest | None:
    """The request with the parent's words, for a specialist or admin; the view audited."""
    request = session.get(ConsultationRequest, request_id) if request_id else None
    if request is None or user.role not in CASE_WORKERS:
        return None
    access.audit(session, user, "view_consult", now, detail=request.reference)
    return request
