"""What a Flex card needs for one entry, and this week's salons for a stage and area.

Plain data only: the messaging builders turn it into a card; nothing here knows LINE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from urllib.parse import quote

from bot.calendar import CityCalendar
from bot.city import City
from bot.knowledge.records import Entry
from bot.knowledge.schedule import Session, sessions

LOOKAHEAD_DAYS = 60  # how far ahead "next sessions" looks (monthly rules need a few weeks)


@dataclass(frozen=True)
class CardData:
    key: str
    name: str
    what: str  # what it is: the summary, else the kind
    kind: str
    who: str  # who it is for
    when: list[str]  # next sessions, e.g. "12/2(水) 10:00〜11:30 誕生会"
    place: str
    address: str
    area: str
    map_url: str
    booking: str
    fee: str
    url: str
    phone: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def map_url(entry: Entry) -> str:
    """A Google Maps link: the map point when known, else a search for the address."""
    place = entry.place
    if place and place.lat is not None and place.lng is not None:
        return f"https://www.google.com/maps/search/?api=1&query={place.lat},{place.lng}"
    if place and place.address:
        return f"https://www.google.com/maps/search/?api=1&query={quote(place.address)}"
    return ""


def next_sessions(entry: Entry, today: date, calendar: CityCalendar, limit: int = 3):
    return sessions(entry, today, LOOKAHEAD_DAYS, calendar, limit=limit)


def card_data(entry: Entry, today: date, city: City | None = None, sessions_shown: int = 3):
    """Everything a card shows for this entry as of `today`."""
    calendar = city.calendar.holidays if city else CityCalendar()
    area = city.area(entry.area_id) if city else None
    place = entry.place
    return CardData(
        key=entry.key,
        name=entry.name,
        what=entry.summary or entry.kind_label,
        kind=entry.kind,
        who=entry.audience,
        when=[s.text for s in next_sessions(entry, today, calendar, sessions_shown)],
        place=place.name if place else "",
        address=place.address if place else "",
        area=area.name if area else "",
        map_url=map_url(entry),
        booking=entry.booking,
        fee=entry.fee,
        url=entry.url or (entry.organization.url if entry.organization else ""),
        phone=entry.contact_phone,
    )


def salons_this_week(
    entries: list[Entry],
    today: date,
    city: City | None = None,
    stage: str | None = None,
    area: str | None = None,
    kinds: tuple[str, ...] = ("salon", "event"),
) -> list[Session]:
    """Sessions from today to Sunday of salons (and events) open to a stage, in an area.

    Entries with no stage serve every stage; entries with no area serve the whole city.
    """
    calendar = city.calendar.holidays if city else CityCalendar()
    days = 7 - today.weekday()
    found: list[Session] = []
    for e in entries:
        if e.kind not in kinds:
            continue
        if stage and e.stages and stage not in e.stages:
            continue
        if area and e.area_id and e.area_id != area:
            continue
        found.extend(sessions(e, today, days, calendar))
    return sorted(found, key=lambda s: (s.day, s.start or time.min, s.entry.name))
