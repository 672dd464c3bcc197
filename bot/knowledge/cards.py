"""What a Flex card needs for one entry, and this week's salons for a stage and area.

Plain data only: the messaging builders turn it into a card; nothing here knows LINE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from urllib.parse import quote

from babel.dates import format_skeleton

from bot.calendar import CityCalendar
from bot.city import City
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, _
from bot.knowledge.multilingual import glosses
from bot.knowledge.records import Entry, Rule
from bot.knowledge.schedule import Session, sessions
from bot.knowledge.vocabulary import WEEKDAYS
from bot.typed import nfkc
from bot.vocabulary import STAGE_LABELS

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
    # Regular opening days, e.g. "月〜土 07:00〜19:00" (weekly rules); when every rule is weekly
    # (``regular``), the next sessions add nothing a parent needs.
    opening: list[str] = field(default_factory=list)
    regular: bool = False
    closed: str = ""  # an application period this year that has passed, in the entry's words
    # The kind of service and a short description, by language (the name stays Japanese).
    glosses: dict[str, str] = field(default_factory=dict)
    # The next sessions and the area, by language (「Tue, Dec 1 08:30–17:15」「Khu Bắc (北地区)」).
    when_in: dict[str, list[str]] = field(default_factory=dict)
    area_in: dict[str, str] = field(default_factory=dict)
    who_in: dict[str, str] = field(default_factory=dict)  # the stages, by language
    opening_in: dict[str, list[str]] = field(default_factory=dict)  # regular days, by language

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
    shown = next_sessions(entry, today, calendar, sessions_shown)
    return CardData(
        key=entry.key,
        name=entry.name,
        what=entry.summary or entry.kind_label,
        kind=entry.kind,
        who=entry.audience,
        when=[s.text for s in shown],
        place=place.name if place else "",
        address=place.address if place else "",
        area=area.name if area else "",
        map_url=map_url(entry),
        booking=entry.booking,
        fee=entry.fee,
        url=entry.url or (entry.organization.url if entry.organization else ""),
        phone=entry.contact_phone,
        opening=opening_days(entry),
        regular=bool(entry.rules) and all(_weekly(r) for r in entry.rules),
        closed=closed_applications(entry, today),
        glosses=glosses(city, entry.name, entry.categories) if city else {},
        when_in={language: [_when(s, language) for s in shown] for language in OTHER_LANGUAGES},
        area_in=dict(area.names) if area else {},
        who_in={language: _who(entry, language) for language in OTHER_LANGUAGES},
        opening_in={language: opening_days(entry, language) for language in OTHER_LANGUAGES},
    )


OTHER_LANGUAGES = tuple(x for x in LANGUAGES if x != DEFAULT_LANGUAGE)


EVERYONE = _("Everyone")


def _who(entry: Entry, language: str) -> str:
    """Who it is for, by stage in the reader's language (the exact ages stay on "more")."""
    t = Translator(language)
    stages = [t.gettext(label) for code, label in STAGE_LABELS.items() if code in entry.stages]
    return ", ".join(stages) if stages else t.gettext(EVERYONE)


def _when(session: Session, language: str) -> str:
    """A session as the reader's language writes a day: 「Tue, Dec 1 10:00–11:30」."""
    when = format_skeleton("MMMEd", session.day, locale=language)
    if session.start:
        when += f" {session.start:%H:%M}–" + (f"{session.end:%H:%M}" if session.end else "")
    return f"{when} {session.note}".strip()


_APPLY = re.compile(r"申込|申し込|受付|締切|締め切|〆切|応募|申請")
_MONTH = re.compile(r"(\d{1,2})月(?:(\d{1,2})日)?|(\d{1,2})/(\d{1,2})(?!\d)")
PASSED_MONTHS = 6  # a month up to half a year back has passed; further back, it is next year's


def closed_applications(entry: Entry, today: date) -> str:
    """The sentence naming an application month (or day) that has passed this cycle
    (「4月入園の一斉申込みは11月です」 on 1 December), or ""."""
    for text in (entry.summary, entry.booking, entry.notes, entry.description):
        for sentence in re.split(r"[。\n]", nfkc(text or "")):
            word = _APPLY.search(sentence)
            months = list(_MONTH.finditer(sentence))
            if not word or not months:
                continue
            after = [m for m in months if m.start() >= word.end()]
            m = after[0] if after else months[-1]
            month = int(m[1] or m[3])
            day = int(m[2] or m[4]) if (m[2] or m[4]) else None
            if not 1 <= month <= 12:
                continue
            back = (today.month - month) % 12
            if 1 <= back <= PASSED_MONTHS or (back == 0 and day is not None and day < today.day):
                return sentence.strip()
    return ""


def _weekly(rule: Rule) -> bool:
    return bool(rule.weekdays) and not rule.nth and not rule.dates


DAY_NAMES = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


def _days(weekdays: tuple[int, ...], language: str | None = None) -> str:
    days = sorted(set(weekdays))
    if language:  # another language: its day names (Mon–Sat, T2–T7, 周一–周六)
        t = Translator(language)
        names, dash, comma = [t.gettext(d) for d in DAY_NAMES], "–", ", "
    else:
        names, dash, comma = list(WEEKDAYS), "〜", "・"
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{names[days[0]]}{dash}{names[days[-1]]}"
    return comma.join(names[d] for d in days)


def opening_days(entry: Entry, language: str | None = None) -> list[str]:
    """The days and hours an entry is regularly open, from its weekly rules (「月〜土
    07:00〜19:00」, in ``language``'s day names when given: 「Mon–Sat 07:00–19:00」); notes such
    as 「土曜は18:00まで」 are the entry's own."""
    lines = []
    for rule in entry.rules:
        if not _weekly(rule):
            continue
        line = _days(rule.weekdays, language)
        to = "–" if language else "〜"
        if rule.start:
            line += (
                f" {rule.start:%H:%M}{to}{rule.end:%H:%M}"
                if rule.end
                else f" {rule.start:%H:%M}{to}"
            )
        lines.append(f"{line} {rule.note}".strip())
    return lines


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
