"""Outreach consultations (出張相談) for parents: the upcoming sessions, booking a slot with its
confirmation, their bookings and cancelling one. 「出張相談」 or the button lists the sessions;
「予約」 lists the parent's bookings."""

from __future__ import annotations

import logging
from datetime import date

from bot.dialogs.bookings import bookings
from bot.dialogs.outreach import outreach
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import Translator, _
from bot.intents import BookOutreach, CancelBooking, ChooseOutreach
from bot.messaging.builders import Action, menu_tap, text
from bot.messaging.postback import BookingTap, Command, MenuTap
from bot.outreach import service
from bot.outreach.service import Booked
from bot.outreach.slots import KIND, Offer, offers
from bot.typed import fold
from bot.vocabulary import Role

log = logging.getLogger(__name__)
PARENTS = frozenset({Role.PARENT})
router = Router("outreach", dialogs=(outreach, bookings))

OUTREACH_WORDS = {
    "出張相談",
    "しゅっちょうそうだん",
    "出張相談の予約",
    "outreach",
    "outreach consultation",
}
BOOKING_WORDS = {
    "予約",
    "よやく",
    "予約の確認",
    "予約確認",
    "予約キャンセル",
    "my bookings",
    "bookings",
}
OFFERS_KEPT = 30  # sessions a dialog keeps (the soonest)
BOOK_LABEL = _("Outreach sessions")
MY_BOOKINGS = _("My bookings")
NOTHING = _(
    "There are no outreach consultations (出張相談) planned in the next weeks. A specialist can "
    "still help you: tap 「Ask a specialist」."
)
CONFIRMED = _(
    "Booked. Your outreach consultation:\n{when}\n{place}\n"
    "I will remind you the day before. To cancel, type 「予約」."
)


def outreach_button(t: Translator) -> Action:
    return menu_tap(t.gettext(BOOK_LABEL), Command.OUTREACH)


def bookings_button(t: Translator) -> Action:
    return menu_tap(t.gettext(MY_BOOKINGS), Command.MY_BOOKINGS)


def _offers(turn: Turn) -> list[Offer]:
    entries = turn.services.kb.of_kind(KIND)
    taken = service.taken(turn.session, turn.today)
    return offers(entries, turn.city, turn.now, taken)


def show_sessions(turn: Turn, keep: tuple[str, date] | None = None) -> None:
    """Start the booking dialog over the sessions as they are now (``keep``: at that one)."""
    found = _offers(turn)[:OFFERS_KEPT]
    if not any(o.free for o in found):
        turn.say(text(turn.t.gettext(NOTHING), quick_replies=[bookings_button(turn.t)]))
        return
    data: dict = {"offers": [o.as_data() for o in found]}
    if keep is not None:
        at = [i for i, o in enumerate(found) if (o.key, o.day) == keep and o.free]
        if at:
            data["i"] = at[0]
    turn.start(outreach, **data)


@router.text("outreach", roles=PARENTS)
def outreach_words(turn: Turn, typed: str) -> bool:
    if fold(typed) in OUTREACH_WORDS:
        show_sessions(turn)
        return True
    if fold(typed) in BOOKING_WORDS:
        show_bookings(turn)
        return True
    return False


@router.button(Command.OUTREACH, roles=PARENTS)
def outreach_tap(turn: Turn, tapped: MenuTap, params: dict) -> None:
    show_sessions(turn)


@router.intent(ChooseOutreach)
def choose_outreach(turn: Turn, asked: ChooseOutreach) -> None:
    show_sessions(turn)


@router.intent(BookOutreach)
def book(turn: Turn, asked: BookOutreach) -> None:
    t = turn.t
    offer = next((o for o in _offers(turn) if (o.key, o.day) == (asked.key, asked.day)), None)
    if offer is None or asked.slot not in offer.slots:
        turn.say(text(t.gettext("Sorry, that session is no longer offered.")))
        show_sessions(turn)
        return
    minutes = turn.city.outreach_slot_minutes
    done = service.book(turn.session, turn.user, offer, asked.slot, minutes, turn.now)
    if done.result == Booked.BOOKED:
        booking = done.booking
        log.info("outreach booking %s made", booking.id)  # an id, never who or what
        said = t.gettext(CONFIRMED, when=service.when(t, booking), place=booking.title)
        turn.say(text(said, quick_replies=[bookings_button(t)]))
    elif done.result == Booked.ALREADY:
        said = t.gettext(
            "You already have a booking at this session: {when}.",
            when=service.when(t, done.booking),
        )
        turn.say(text(said, quick_replies=[bookings_button(t)]))
    elif done.result == Booked.TAKEN:
        turn.say(text(t.gettext("Sorry, someone booked {slot} a moment ago.", slot=asked.slot)))
        show_sessions(turn, keep=(offer.key, offer.day))
    else:
        turn.say(text(t.gettext("Sorry, that session has just become full.")))
        show_sessions(turn)


# ---------------------------------------------------------------- their bookings


def _listed(turn: Turn) -> list[dict]:
    t = turn.t
    return [
        {
            "id": b.id,
            "when": service.when(t, b),
            "short": f"{t.short_day(b.day)} {b.starts}",
            "where": b.title,
        }
        for b in service.upcoming_of(turn.session, turn.user.id, turn.now)
    ]


def show_bookings(turn: Turn, chosen: int | None = None) -> None:
    listed = _listed(turn)
    if not listed:
        none = turn.t.gettext("You have no outreach consultation bookings coming up.")
        turn.say(text(none, quick_replies=[outreach_button(turn.t)]))
        return
    turn.start(bookings, bookings=listed, **({"b": chosen} if chosen else {}))


@router.button(Command.MY_BOOKINGS, roles=PARENTS)
def bookings_tap(turn: Turn, tapped: MenuTap, params: dict) -> None:
    show_bookings(turn)


@router.button(Command.CANCEL_BOOKING, roles=PARENTS)
def cancel_tap(turn: Turn, tapped: BookingTap, params: dict) -> None:
    """The reminder's cancel button: asks to confirm, if the booking is theirs and to come."""
    mine = {b["id"] for b in _listed(turn)}
    if tapped.booking not in mine:
        turn.say(text(turn.t.gettext("That booking is no longer open to change.")))
        show_bookings(turn)
        return
    show_bookings(turn, chosen=tapped.booking)


@router.intent(CancelBooking)
def cancel(turn: Turn, asked: CancelBooking) -> None:
    t = turn.t
    booking = service.cancel(turn.session, turn.user.id, asked.booking, turn.now)
    if booking is None:
        turn.say(text(t.gettext("That booking is no longer open to change.")))
        return
    log.info("outreach booking %s cancelled", booking.id)
    said = t.gettext(
        "Cancelled: {when}, {place}.", when=service.when(t, booking), place=booking.title
    )
    turn.say(text(said, quick_replies=[outreach_button(t)]))
