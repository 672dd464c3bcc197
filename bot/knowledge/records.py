"""Plain records for the knowledge base: what importers produce and what search reads.

They carry no database session, so search and cards work the same from a file, a test or the DB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from bot.knowledge.vocabulary import CATEGORIES, KINDS, STAGES, age_text


@dataclass(frozen=True)
class Provenance:
    """Where a record came from, so a wrong entry can be traced to its file and line."""

    file: str = ""
    line: int = 0
    importer: str = ""


@dataclass(frozen=True)
class Rule:
    """One schedule line: weekly days, nth weekdays of the month, or explicit dates."""

    weekdays: tuple[int, ...] = ()  # 0 = Monday, as date.weekday()
    nth: tuple[int, ...] = ()  # 1..5, or -1 for "last": with weekdays, "2nd and 4th Wednesday"
    dates: tuple[date, ...] = ()
    start: time | None = None
    end: time | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    # Centres and salons close on national holidays and the city's closed days.
    closed_on_holidays: bool = True
    note: str = ""


@dataclass(frozen=True)
class Organization:
    key: str
    name: str
    kana: str = ""
    kind: str = ""
    phone: str = ""
    url: str = ""
    source: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    kana: str = ""
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    area: str | None = None
    access: str = ""
    source: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True)
class Entry:
    """A service, facility, salon or event a family can use."""

    key: str
    kind: str
    name: str
    kana: str = ""
    summary: str = ""
    description: str = ""
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    min_age_months: int | None = None
    max_age_months: int | None = None
    organization_key: str | None = None
    place_key: str | None = None
    area: str | None = None
    phone: str = ""
    fee: str = ""
    booking: str = ""
    url: str = ""
    notes: str = ""
    rules: tuple[Rule, ...] = ()
    source: Provenance = field(default_factory=Provenance)
    # Filled in when read back with its place and organization (load_entries).
    place: Place | None = None
    organization: Organization | None = None

    @property
    def area_id(self) -> str | None:
        return self.area or (self.place.area if self.place else None)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def category_labels(self) -> list[str]:
        return [CATEGORIES.get(c, c) for c in self.categories]

    @property
    def audience(self) -> str:
        """Who it is for, in words: stages, then the exact age range when one is given."""
        parts = [STAGES[s] for s in STAGES if s in self.stages]
        ages = age_text(self.min_age_months, self.max_age_months)
        text = "・".join(parts) if parts else "どなたでも"
        return f"{text}（{ages}）" if ages else text

    @property
    def contact_phone(self) -> str:
        return self.phone or (self.organization.phone if self.organization else "")
