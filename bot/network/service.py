"""Calling a network meeting: the invitations to the area's members, the agenda for the
specialist who called it, and the clock's reminder the day before."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases import messages as m
from bot.cases import queries
from bot.cases.models import Case
from bot.city import City
from bot.i18n import TOKYO, Translator, _
from bot.messaging.builders import Message, text
from bot.messaging.outbox import push_each
from bot.network.models import Meeting
from bot.storage.models import LineUser
from bot.vocabulary import Role

INVITATION = _(
    "Invitation: the {area} child-rearing support network (地域子育て支援ネットワーク) meets on "
    "{when} at {place}. The specialists will bring the area's families of concern, by reference."
)
REMINDER = _("Reminder: the {area} network meeting is tomorrow, {when}, at {place}.")
AGENDA_LIMIT = 40


def members_of_area(session: Session, area: str) -> list[LineUser]:
    """The area's network members (those registered for that area)."""
    return [
        user for user, staff in queries.active_staff(session, Role.MEMBER) if staff.area == area
    ]


def _announcement(message_id: str, meeting: Meeting, city: City):
    def build(t: Translator) -> list[Message]:
        when = t.datetime(meeting.starts_at, "short")
        area = city.area_name(meeting.area)
        return [text(t.gettext(message_id, area=area, when=when, place=meeting.place))]

    return build


def schedule(
    session: Session,
    caller: LineUser,
    area: str,
    starts_at: datetime,
    place: str,
    now: datetime,
    city: City,
) -> tuple[Meeting, int]:
    """Record the meeting and invite the area's members; return it and how many were invited."""
    meeting = Meeting(
        area=area, starts_at=starts_at, place=place, called_by=caller.id, created_at=now
    )
    session.add(meeting)
    session.flush()
    invited = push_each(
        session, members_of_area(session, area), _announcement(INVITATION, meeting, city)
    )
    return meeting, invited


def agenda(session: Session, t: Translator, area: str, city: City) -> list[str]:
    """The area's open cases by reference: what a push may show, never names or words."""
    cases = session.scalars(
        select(Case).where(Case.area == area, Case.status != "closed").order_by(Case.id)
    ).all()
    return [m.summary(t, case, city) for case in cases[:AGENDA_LIMIT]]


def due_tomorrow(session: Session, now: datetime) -> list[Meeting]:
    """Meetings on the day after ``now`` (in Tokyo)."""
    tomorrow = now.astimezone(TOKYO).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, datetime.min.time(), TOKYO)
    rows = session.scalars(
        select(Meeting).where(
            Meeting.starts_at >= start, Meeting.starts_at < start + timedelta(days=1)
        )
    )
    return list(rows)


def remind(session: Session, meeting: Meeting, city: City) -> int:
    """The day before: the members and the specialist who called it."""
    people = members_of_area(session, meeting.area)
    caller = session.get(LineUser, meeting.called_by) if meeting.called_by else None
    if caller is not None:
        people.append(caller)
    return push_each(session, people, _announcement(REMINDER, meeting, city))
