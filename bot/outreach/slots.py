"""The sessions a parent may book: each outreach entry's upcoming sessions (its schedule rules,
holidays skipped as for any entry) cut into slots of the city's length, less the slots taken.

Pure: the knowledge base's entries, the slots already booked and the moment come in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.city import City
from bot.i18n import TOKYO
from bot.knowledge.records import Entry
from bot.knowledge.schedule import sessions

KIND = "outreach"


@dataclass(frozen=True)
class Offer:
    """One session of an outreach entry on one day, with the slots still free."""

    key: str  # the entry's key
    day: date
    starts: str  # HH:MM
    ends: str
    name: str
    place: str
    address: str
    area: str | None
    slots: tuple[str, ...]  # every slot's start
    free: tuple[str, ...]  # those nobody holds

    def slot_end(self, start: str, minutes: int) -> str:
        moment = datetime.combine(self.day, time.fromisoformat(start)) + timedelta(minutes=minutes)
        return min(moment.strftime("%H:%M"), self.ends)

    def as_data(self) -> dict:
        """What a dialog keeps of it (codes and public words)."""
        return {
            "k": self.key,
            "d": self.day.isoformat(),
            "s": self.starts,
            "e": self.ends,
            "n": self.name,
            "p": self.place,
            "ad": self.address,
            "a": self.area,
            "f": list(self.free),
        }


def cut(start: time, end: time, minutes: int) -> tuple[str, ...]:
    """The slots' starts: whole slots only (a 90-minute session of 30-minute slots has three)."""
    day = date(2000, 1, 1)
    at, last = datetime.combine(day, start), datetime.combine(day, end)
    step = timedelta(minutes=minutes)
    found = []
    while at + step <= last:
        found.append(at.strftime("%H:%M"))
        at += step
    return tuple(found)


def offers(
    entries: Iterable[Entry],
    city: City,
    now: datetime,
    taken: set[tuple[str, date, str]],
    days: int | None = None,
) -> list[Offer]:
    """Upcoming sessions, soonest first; a slot that has begun is no longer offered."""
    local = now.astimezone(TOKYO)
    today, clock = local.date(), local.strftime("%H:%M")
    found: list[Offer] = []
    for entry in entries:
        if entry.kind != KIND:
            continue
        place = entry.place
        for s in sessions(entry, today, days or city.outreach_days_ahead, city.calendar.holidays):
            if s.start is None or s.end is None:
                continue  # a session without times cannot be cut into slots
            slots = cut(s.start, s.end, city.outreach_slot_minutes)
            free = tuple(
                slot
                for slot in slots
                if (entry.key, s.day, slot) not in taken and (s.day > today or slot > clock)
            )
            if s.day == today and not any(slot > clock for slot in slots):
                continue  # over
            found.append(
                Offer(
                    key=entry.key,
                    day=s.day,
                    starts=f"{s.start:%H:%M}",
                    ends=f"{s.end:%H:%M}",
                    name=entry.name,
                    place=place.name if place else "",
                    address=place.address if place else "",
                    area=entry.area_id,
                    slots=slots,
                    free=free,
                )
            )
    return sorted(found, key=lambda o: (o.day, o.starts, o.name))
