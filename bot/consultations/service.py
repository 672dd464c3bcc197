"""Recording a parent's request for a specialist: the request's words (encrypted) and a case of
its own kind (S-0042), routed like a note (``bot.cases.intake.file_request``).

A parent may send a few requests a day; past that the bot says a specialist already has theirs,
so nobody can page the specialists without limit. The words and phone number are shown only
when a specialist opens the case (``bot.cases.access.read_words``, audited).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases import intake
from bot.cases.models import Case
from bot.city import City
from bot.consultations.models import ConsultationRequest
from bot.intents import RequestConsultation
from bot.storage.models import LineUser

MAX_REQUESTS_A_DAY = 3


def requests_today(session: Session, parent: LineUser, now: datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(ConsultationRequest)
        .where(
            ConsultationRequest.user_id == parent.id,
            ConsultationRequest.created_at > now - timedelta(days=1),
        )
    )


def record_request(
    session: Session, parent: LineUser, asked: RequestConsultation, now: datetime, city: City
) -> Case | None:
    """The request and its case, routed and announced; None when the parent has sent too many
    today (nothing is recorded then)."""
    if requests_today(session, parent, now) >= MAX_REQUESTS_A_DAY:
        return None
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
    return intake.file_request(session, parent, request.id, asked.topic, now, city)
