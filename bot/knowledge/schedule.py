"""Schedules: when a rule happens, the next sessions from a day, and reading times and days.

A "session" is one concrete date and time a salon meets or an event runs, computed from rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import jpholiday

from bot.knowledge.records import Entry, Rule
from bot.knowledge.vocabulary import WEEKDAYS


@dataclass(frozen=True)
class CityCalendar:
    """National holidays plus the city's own closed days (e.g. 12-29 to 01-03)."""

    closed_days: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    @classmethod
    def from_strings(cls, days: Iterable[str]) -> CityCalendar:
        return cls(frozenset((int(d[:2]), int(d[3:5])) for d in days))

    def is_closed(self, d: date) -> bool:
        return (d.month, d.day) in self.closed_days or jpholiday.is_holiday(d)


@dataclass(frozen=True)
class Session:
    """One meeting of an entry: a date, optional times and the rule's note."""

    day: date
    start: time | None
    end: time | None
    note: str
    entry: Entry

    @property
    def text(self) -> str:
        when = f"{self.day.month}/{self.day.day}({WEEKDAYS[self.day.weekday()]})"
        if self.start:
            when += f" {self.start:%H:%M}"
            when += f"〜{self.end:%H:%M}" if self.end else "〜"
        return f"{when} {self.note}".strip()


def occurs_on(rule: Rule, d: date, calendar: CityCalendar) -> bool:
    if rule.valid_from and d < rule.valid_from or rule.valid_until and d > rule.valid_until:
        return False
    if d in rule.dates:
        return True
    if not rule.weekdays or d.weekday() not in rule.weekdays:
        return False
    if rule.nth and not _is_nth(d, rule.nth):
        return False
    return not (rule.closed_on_holidays and calendar.is_closed(d))


def _is_nth(d: date, nth: tuple[int, ...]) -> bool:
    if (d.day - 1) // 7 + 1 in nth:
        return True
    return -1 in nth and (d + timedelta(days=7)).month != d.month


def sessions(
    entry: Entry, start: date, days: int, calendar: CityCalendar, limit: int | None = None
) -> list[Session]:
    """The entry's sessions from `start` for `days` days, in date and time order."""
    found: list[Session] = []
    for offset in range(days):
        d = start + timedelta(days=offset)
        today = [
            Session(d, r.start, r.end, r.note, entry)
            for r in entry.rules
            if occurs_on(r, d, calendar)
        ]
        found.extend(sorted(today, key=lambda s: s.start or time()))
        if limit is not None and len(found) >= limit:
            return found[:limit]
    return found


def rule_weekdays(rule: Rule) -> set[int]:
    """Weekdays a rule can fall on (for the weekday filter in search)."""
    return set(rule.weekdays) | {d.weekday() for d in rule.dates}


# --- reading the ways people write times, dates and days -----------------------------------

_TIME = re.compile(r"^(\d{1,2})(?::(\d{2})(?::\d{2})?|時(?:(\d{1,2})分|半)?)$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def fold_width(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_time(text: str) -> time:
    """'9:30', '09:30:00', '９：３０', '9時30分', '9時半' → time; ValueError otherwise."""
    m = _TIME.match(fold_width(text).replace(" ", ""))
    if not m:
        raise ValueError(text)
    hour = int(m[1])
    minute = int(m[2] or m[3] or (30 if "半" in m[0] else 0))
    if hour == 24 and minute == 0:
        return time(23, 59)
    return time(hour, minute)  # raises ValueError for 25:00 or 9:75


def parse_time_range(text: str) -> tuple[time, time | None]:
    """'10:00-15:00' or '10:00〜' → (start, end)."""
    parts = re.split(r"\s*[-~〜～－]\s*", fold_width(text).replace("〜", "~"))
    if not parts[0] or len(parts) > 2:
        raise ValueError(text)
    end = parse_time(parts[1]) if len(parts) == 2 and parts[1] else None
    return parse_time(parts[0]), end


def parse_date(text: str) -> date:
    """'2026-04-01', '2026/4/1', '2026年4月1日' → date; ValueError otherwise."""
    m = _DATE.match(fold_width(text).replace(" ", ""))
    if not m:
        raise ValueError(text)
    return date(int(m[1]), int(m[2]), int(m[3]))


_DAY_WORDS = {"平日": (0, 1, 2, 3, 4), "毎日": tuple(range(7)), "土日": (5, 6), "週末": (5, 6)}
_NTH = re.compile(r"第?([1-5１-５](?:[・,、と]第?[1-5１-５])*)(?=[月火水木金土日])")


def parse_weekdays(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """「月～金」「月・水・金」「平日」「第2・第4水曜日」「毎週土曜日」 → (weekdays, nth).

    ValueError when no day can be read; 祝日 mentions are ignored (holidays are a calendar
    matter, see CityCalendar).
    """
    t = fold_width(text)
    t = re.sub(
        r"祝日?|休日|曜日?|毎週|毎月|及び|および|・祝", lambda m: "" if "曜" in m[0] else " ", t
    )
    nth: tuple[int, ...] = ()
    m = _NTH.search(t)
    if m:
        nth = tuple(sorted({int(fold_width(c)) for c in re.findall(r"[1-5]", m[1])}))
        t = t[: m.start()] + t[m.end() :]
    days: set[int] = set()
    for word, ds in _DAY_WORDS.items():
        if word in t:
            days.update(ds)
            t = t.replace(word, " ")
    for a, b in re.findall(r"([月火水木金土日])\s*[-~〜～から]+\s*([月火水木金土日])", t):
        i, j = WEEKDAYS.index(a), WEEKDAYS.index(b)
        days.update(range(i, j + 1) if i <= j else [*range(i, 7), *range(0, j + 1)])
    days.update(WEEKDAYS.index(c) for c in t if c in WEEKDAYS)
    if not days:
        raise ValueError(text)
    return tuple(sorted(days)), nth
