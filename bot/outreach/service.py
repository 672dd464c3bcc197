"""Booking, cancelling and reading outreach bookings; the day-before reminder's pushes.

``book`` is the one place a slot is taken. It inserts the booking inside a savepoint: the
database's unique index over the standing bookings of a slot decides between two parents who
tap at the same moment (on PostgreSQL the second insert waits for the first transaction and
then fails; SQLite takes one writer at a time), and the loser is told whether the session has
other free slots or is full. The event's own transaction is never spoiled by the refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.i18n import TOKYO, Translator, _
from bot.messaging.builders import Message, postback, text
from bot.messaging.outbox import enqueue
from bot.messaging.postback import BookingTap, Command
from bot.outreach.models import BOOKED, CANCELLED, OutreachBooking
from bot.outreach.slots import Offer
from bot.storage.models import LineUser

REMINDER = _(
    "Reminder: your outreach consultation (出張相談) is tomorrow, {day}, {time}, at {place}."
)
CANCEL = _("Cancel booking")
TIME_RANGE = _("{start}–{end}")  # 10:00〜10:30 in Japanese


class Booked(StrEnum):
    BOOKED = "booked"
    TAKEN = "taken"  # someone else holds that slot; the session has others free
    FULL = "full"  # that was the session's last free slot
    ALREADY = "already"  # this parent already holds a slot of that session


@dataclass(frozen=True)
class Outcome:
    result: Booked
    booking: OutreachBooking | None = None


def taken(session: Session, since: date) -> set[tuple[str, date, str]]:
    """Every slot held from ``since`` on: (session key, day, slot start)."""
    rows = session.execute(
        select(OutreachBooking.entry_key, OutreachBooking.day, OutreachBooking.starts).where(
            OutreachBooking.status == BOOKED, OutreachBooking.day >= since
        )
    )
    return {tuple(row) for row in rows}


def book(
    session: Session, user: LineUser, offer: Offer, slot: str, minutes: int, now: datetime
) -> Outcome:
    """Take ``slot`` of ``offer`` for ``user`` if nobody holds it."""
    mine = session.scalar(
        select(OutreachBooking.id).where(
            OutreachBooking.user_id == user.id,
            OutreachBooking.entry_key == offer.key,
            OutreachBooking.day == offer.day,
            OutreachBooking.status == BOOKED,
        )
    )
    if mine is not None:
        return Outcome(Booked.ALREADY, session.get(OutreachBooking, mine))
    booking = OutreachBooking(
        user_id=user.id,
        entry_key=offer.key,
        day=offer.day,
        starts=slot,
        ends=offer.slot_end(slot, minutes),
        title=place_of(offer),
        area=offer.area,
        status=BOOKED,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(booking)
    except IntegrityError:
        held = taken_of(session, offer)
        left = [s for s in offer.slots if s not in held]
        return Outcome(Booked.TAKEN if left else Booked.FULL)
    return Outcome(Booked.BOOKED, booking)


def place_of(offer: Offer) -> str:
    """Where it is, as the confirmation and the reminder say it: the place and its address."""
    where = offer.place or offer.name
    return f"{where}（{offer.address}）" if offer.address else where


def taken_of(session: Session, offer: Offer) -> set[str]:
    return set(
        session.scalars(
            select(OutreachBooking.starts).where(
                OutreachBooking.entry_key == offer.key,
                OutreachBooking.day == offer.day,
                OutreachBooking.status == BOOKED,
            )
        )
    )


def upcoming_of(session: Session, user_id: int, now: datetime) -> list[OutreachBooking]:
    """A parent's bookings still to come, soonest first."""
    today = now.astimezone(TOKYO).date()
    rows = session.scalars(
        select(OutreachBooking)
        .where(
            OutreachBooking.user_id == user_id,
            OutreachBooking.status == BOOKED,
            OutreachBooking.day >= today,
        )
        .order_by(OutreachBooking.day, OutreachBooking.starts)
    )
    return [b for b in rows if starts_at(b) > now]


def starts_at(booking: OutreachBooking) -> datetime:
    return datetime.combine(booking.day, time.fromisoformat(booking.starts), TOKYO)


def cancel(
    session: Session, user_id: int, booking_id: int, now: datetime
) -> OutreachBooking | None:
    """Cancel a parent's own booking still to come; None when there is no such booking."""
    booking = session.get(OutreachBooking, booking_id)
    if (
        booking is None
        or booking.user_id != user_id
        or booking.status != BOOKED
        or starts_at(booking) <= now
    ):
        return None
    booking.status, booking.cancelled_at = CANCELLED, now
    return booking


def when(t: Translator, booking: OutreachBooking) -> str:
    """「2026年12月8日(火) 10:00〜10:30」 in the reader's language."""
    return f"{t.day(booking.day, 'full')} {span(t, booking)}"


def span(t: Translator, booking: OutreachBooking) -> str:
    return t.gettext(TIME_RANGE, start=booking.starts, end=booking.ends)


# ---------------------------------------------------------------- the clock


def due_tomorrow(session: Session, now: datetime) -> list[OutreachBooking]:
    """Standing bookings for the day after ``now`` (Tokyo), made before today: a booking made
    today has just had its confirmation."""
    today = now.astimezone(TOKYO).date()
    start_of_today = datetime.combine(today, time.min, TOKYO)
    return list(
        session.scalars(
            select(OutreachBooking)
            .where(
                OutreachBooking.status == BOOKED,
                OutreachBooking.day == today + timedelta(days=1),
                OutreachBooking.created_at < start_of_today,
            )
            .order_by(OutreachBooking.id)
        )
    )


def reminder(t: Translator, booking: OutreachBooking) -> Message:
    """The day-before push: when and where, and a cancel button (no family details)."""
    body = t.gettext(
        REMINDER, day=t.day(booking.day, "full"), time=span(t, booking), place=booking.title
    )
    label = t.gettext(CANCEL)
    tap = BookingTap(Command.CANCEL_BOOKING, booking.id).pack()
    return text(body, quick_replies=[postback(label, tap, label)])


def remind(session: Session, booking: OutreachBooking, hold: datetime | None) -> int:
    user = session.get(LineUser, booking.user_id)
    if user is None or not user.active or user.role != "parent":
        return 0
    enqueue(
        session, user.line_user_id, [reminder(Translator(user.language), booking)], hold_until=hold
    )
    return 1


def bookings_between(session: Session, first: date, last: date) -> list[OutreachBooking]:
    """Standing bookings from ``first`` to ``last`` (both included): the specialists' digest."""
    return list(
        session.scalars(
            select(OutreachBooking)
            .where(
                OutreachBooking.status == BOOKED,
                OutreachBooking.day >= first,
                OutreachBooking.day <= last,
            )
            .order_by(OutreachBooking.day, OutreachBooking.starts, OutreachBooking.id)
        )
    )
