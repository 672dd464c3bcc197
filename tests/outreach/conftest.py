"""The sample city's knowledge (its five monthly outreach consultations) under a live bot, and
helpers to read the bookings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.city import load_city
from bot.cli.kb import city_files
from bot.config import SAMPLE_CITY
from bot.i18n import Translator
from bot.knowledge.importers import import_paths
from bot.messaging.builders import _label
from bot.outreach.models import OutreachBooking
from bot.outreach.slots import offers
from bot.storage.models import get_or_create_user


@pytest.fixture
def city_bot(bot):
    city = load_city(SAMPLE_CITY)
    report = import_paths(bot.tsunagu.db, city_files(city), city=city)
    assert report.ok, report.summary()
    return bot


def bookings(bot) -> list[OutreachBooking]:
    with bot.tsunagu.db.transaction() as session:
        rows = session.scalars(select(OutreachBooking).order_by(OutreachBooking.id)).all()
        session.expunge_all()
        return list(rows)


def soonest_offer(bot):
    """The first upcoming session, as the handler would list it now."""
    services = bot.tsunagu.runtime.services
    return offers(services.kb.of_kind("outreach"), services.city, datetime.now(UTC), set())[0]


def offer_in(bot, area: str):
    """The first upcoming session in an area."""
    services = bot.tsunagu.runtime.services
    found = offers(services.kb.of_kind("outreach"), services.city, datetime.now(UTC), set())
    return next(o for o in found if o.area == area)


def session_label(offer, language: str = "ja") -> str:
    """A session's button as the parent sees it (cut to LINE's 20 characters)."""
    return _label(f"{Translator(language).short_day(offer.day)} {offer.place}")


def hold_slots(bot, offer, slots, who="U" + "9" * 32) -> None:
    """Other families hold these slots (booked the ordinary way, straight in the table)."""
    with bot.tsunagu.db.transaction() as session:
        for i, slot in enumerate(slots):
            user = get_or_create_user(session, f"{who[:-2]}{i:02d}")
            session.add(
                OutreachBooking(
                    user_id=user.id,
                    entry_key=offer.key,
                    day=offer.day,
                    starts=slot,
                    ends=offer.slot_end(slot, 30),
                    title=offer.place,
                    area=offer.area,
                    status="booked",
                    created_at=datetime.now(UTC),
                )
            )
