"""Schedules: when a rule happens, the next sessions from a day, and reading dates and days
(times are read by ``bot.calendar``).

A "session" is one concrete date and time a salon meets or an event runs, computed from rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.calendar import CityCalendar
from bot.knowledge.records import Entry, Rule
from bot.knowledge.vocabulary import WEEKDAYS
from bot.typed import nfkc


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

_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str) -> date:
    """'2026-04-01', '2026/4/1', '2026年4月1日' → date; ValueError otherwise."""
    m = _DATE.match(nfkc(text).replace(" ", ""))
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
    t = nfkc(text)
    t = re.sub(
        r"祝日?|休日|曜日?|毎週|毎月|及び|および|・祝", lambda m: "" if "曜" in m[0] else " ", t
    )
    nth: tuple[int, ...] = ()
    m = _NTH.search(t)
    if m:
        nth = tuple(sorted({int(nfkc(c)) for c in re.findall(r"[1-5]", m[1])}))
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
