"""Providers' places (空き状況, outline ② 2(4)): a specialist asks, the provider's members answer
with a few taps, the answer is dated and shown beside the provider when specialists refer; the
clock asks again when the last answer is older than the city file allows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases.models import Availability
from bot.cases.queries import org_members
from bot.i18n import TOKYO, Translator
from bot.messaging.builders import Message, buttons, postback
from bot.messaging.outbox import push_each
from bot.messaging.postback import DialogEntry
from bot.storage.models import LineUser
from bot.vocabulary import AVAILABILITY_LABELS, STAGE_LABELS


def latest(session: Session, orgs: list[str]) -> dict[str, Availability]:
    """Each organisation's latest answer."""
    if not orgs:
        return {}
    newest = (
        select(Availability.org, func.max(Availability.id).label("id"))
        .where(Availability.org.in_(orgs))
        .group_by(Availability.org)
        .subquery()
    )
    rows = session.scalars(select(Availability).join(newest, newest.c.id == Availability.id))
    return {row.org: row for row in rows}


def label(t: Translator, row: Availability | None) -> str:
    """「わずか 12/1・1〜2歳」: what a specialist sees beside a provider; "" when unknown."""
    if row is None:
        return ""
    day = row.answered_at.astimezone(TOKYO).date()
    parts = [t.gettext(AVAILABILITY_LABELS[row.status]), f"{day.month}/{day.day}"]
    parts += [t.gettext(STAGE_LABELS[s]) for s in row.stages if s in STAGE_LABELS]
    return "・".join(parts)


def question(t: Translator) -> list[Message]:
    """The question to a provider's members, its answers one tap away."""
    body = t.gettext(
        "A specialist of the city asks how many places your organisation has now (空き状況)."
    )
    actions = [
        postback(t.gettext(name), DialogEntry("availability", opening=code).pack(), t.gettext(name))
        for code, name in AVAILABILITY_LABELS.items()
    ]
    return [buttons(body, actions)]


def ask(session: Session, org: str) -> int:
    """Ask an organisation's members; how many were asked (0: nobody registered)."""
    return push_each(session, org_members(session, org), question)


def record(
    session: Session,
    member: LineUser,
    org: str,
    status: str,
    stages: tuple[str, ...],
    note: str | None,
    now: datetime,
) -> Availability:
    row = Availability(
        org=org,
        status=status,
        stages=list(stages),
        note=note,
        answered_by=member.id,
        answered_at=now,
    )
    session.add(row)
    return row
