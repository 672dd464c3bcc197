"""The project's own YAML format (docs/knowledge-base.md): organizations, places, entries.

Every value keeps its line and column, so a problem names exactly where to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.calendar import parse_time_range
from bot.city import City
from bot.knowledge.importers.common import read_text
from bot.knowledge.importers.problems import FileProblems, Problem
from bot.knowledge.records import Entry, Organization, Place, Provenance, Rule
from bot.knowledge.schedule import parse_date, parse_weekdays
from bot.knowledge.vocabulary import CATEGORIES, KINDS, STAGES

IMPORTER = "yaml"
# A city file (city.yaml) may be imported too: only its organizations are read.
# What a city file holds besides knowledge (bot.city reads it): accepted, not imported.
CITY_KEYS = {
    "city",
    "areas",
    "area_towns",
    "emergency",
    "calendar",
    "knowledge",
    "synonyms",
    "needs",
    "multilingual",
    "case_outcomes",
    "providers",
    "outreach",
}
ORG_FIELDS = {"key", "name", "kana", "kind", "phone", "url"}
PLACE_FIELDS = {"key", "name", "kana", "address", "lat", "lng", "area", "access"}
ENTRY_FIELDS = {
    "key",
    "kind",
    "name",
    "kana",
    "summary",
    "description",
    "categories",
    "keywords",
    "stages",
    "min_age_months",
    "max_age_months",
    "organization",
    "place",
    "area",
    "phone",
    "fee",
    "booking",
    "url",
    "notes",
    "schedule",
}
RULE_FIELDS = {"days", "nth", "dates", "time", "from", "until", "holidays", "note"}
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$")


class _Located(dict):
    """A YAML mapping that remembers where it and each of its values start."""

    line = 0
    marks: dict[str, tuple[int, int]]


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> _Located:
    loader.flatten_mapping(node)
    result = _Located()
    result.line, result.marks = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.marks[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
# YAML 1.1 reads 10:30 as the number 630, and a bad date fails with no position: times and
# dates stay text here and are read (and reported) by the importer.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _digit in "0123456789":
    _Loader.yaml_implicit_resolvers.setdefault(_digit, []).insert(
        0, ("tag:yaml.org,2002:str", re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$"))
    )


@dataclass
class Parsed:
    organizations: list[Organization] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Reader:
    def __init__(self, name: str, city: City | None, out: Parsed):
        self.name, self.city, self.out = name, city, out

    def problem(self, m: _Located, key: str, label: str, expected: str, got: Any = None):
        line, column = m.marks.get(key, (m.line, None))
        self.out.problems.append(
            Problem(self.name, line, column, label, expected, None if got is None else str(got))
        )

    def text(self, m: _Located, key: str, label: str, required: bool = False) -> str:
        value = m.get(key)
        if value is None or value == "":
            if required:
                self.problem(m, key, label, f"a value for '{key}'")
            return ""
        if isinstance(value, dict | list):
            self.problem(m, key, label, "text", type(value).__name__)
            return ""
        return str(value).strip()

    def key(self, m: _Located, label: str) -> str:
        key = self.text(m, "key", f"{label}.key", required=True)
        if key and not _KEY.match(key):
            self.problem(
                m, "key", f"{label}.key", "a key of letters a-z, digits, '-', '_' or '.'", key
            )
        return key

    def words(self, m: _Located, key: str, label: str, allowed: dict | None = None) -> tuple:
        value = m.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(m, key, label, "a list", value)
            return ()
        words = tuple(str(v).strip() for v in value)
        for w in words:
            if allowed is not None and w not in allowed:
                self.problem(m, key, label, f"one of {', '.join(allowed)}", w)
        return words

    def number(self, m: _Located, key: str, label: str, low: float, high: float, kind=float):
        value = m.get(key)
        if value is None or value == "":
            return None
        try:
            number = kind(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high or isinstance(value, bool):
            self.problem(m, key, label, f"a number from {low} to {high}", value)
            return None
        return number

    def area(self, m: _Located, label: str) -> str | None:
        area = self.text(m, "area", label) or None
        if area and self.city and not self.city.area(area):
            ids = ", ".join(a.id for a in self.city.areas)
            self.problem(m, "area", label, f"an area id from the city file ({ids})", area)
        return area

    def unknown(self, m: _Located, allowed: set[str], label: str) -> None:
        for key in m:
            if key not in allowed:
                self.problem(
                    m, key, f"{label}.{key}", f"one of the fields {', '.join(sorted(allowed))}"
                )

    def source(self, m: _Located) -> Provenance:
        return Provenance(self.name, m.line, IMPORTER)

    def items(self, doc: _Located, section: str) -> list[tuple[str, _Located]]:
        items = doc.get(section) or []
        if not isinstance(items, list):
            self.problem(doc, section, section, "a list")
            return []
        found = []
        for i, item in enumerate(items):
            label = f"{section}[{i + 1}]"
            if isinstance(item, _Located):
                found.append((label, item))
            else:
                line = doc.marks[section][0]
                self.out.problems.append(Problem(self.name, line, None, label, "a mapping"))
        return found

    def organization(self, label: str, m: _Located) -> Organization:
        self.unknown(m, ORG_FIELDS, label)
        return Organization(
            key=self.key(m, label),
            name=self.text(m, "name", f"{label}.name", required=True),
            kana=self.text(m, "kana", f"{label}.kana"),
            kind=self.text(m, "kind", f"{label}.kind"),
            phone=self.text(m, "phone", f"{label}.phone"),
            url=self.text(m, "url", f"{label}.url"),
            source=self.source(m),
        )

    def place(self, label: str, m: _Located, key: str | None = None) -> Place:
        self.unknown(m, PLACE_FIELDS - ({"key"} if key else set()), label)
        return Place(
            key=key or self.key(m, label),
            name=self.text(m, "name", f"{label}.name", required=True),
            kana=self.text(m, "kana", f"{label}.kana"),
            address=self.text(m, "address", f"{label}.address"),
            lat=self.number(m, "lat", f"{label}.lat", -90, 90),
            lng=self.number(m, "lng", f"{label}.lng", -180, 180),
            area=self.area(m, f"{label}.area"),
            access=self.text(m, "access", f"{label}.access"),
            source=self.source(m),
        )

    def entry(self, label: str, m: _Located) -> Entry:
        self.unknown(m, ENTRY_FIELDS, label)
        key = self.key(m, label)
        kind = self.text(m, "kind", f"{label}.kind", required=True)
        if kind and kind not in KINDS:
            self.problem(m, "kind", f"{label}.kind", f"one of {', '.join(KINDS)}", kind)
        place = m.get("place")
        place_key = None
        if isinstance(place, _Located):  # a place written inline belongs to this entry
            inline = self.place(f"{label}.place", place, key=f"{key}.place")
            self.out.places.append(inline)
            place_key = inline.key
        elif place is not None:
            place_key = self.text(m, "place", f"{label}.place")
        rules = m.get("schedule") or []
        if not isinstance(rules, list):
            self.problem(m, "schedule", f"{label}.schedule", "a list of rules")
            rules = []
        parsed = tuple(self.rule(f"{label}.schedule[{i + 1}]", r, m) for i, r in enumerate(rules))
        if kind == "outreach" and (not parsed or any(r.start is None for r in parsed)):
            # Parents book slots of an outreach session: every rule needs its time to cut them.
            self.problem(m, "schedule", f"{label}.schedule", "rules with a time, like 10:00-12:00")
        return Entry(
            key=key,
            kind=kind,
            name=self.text(m, "name", f"{label}.name", required=True),
            kana=self.text(m, "kana", f"{label}.kana"),
            summary=self.text(m, "summary", f"{label}.summary"),
            description=self.text(m, "description", f"{label}.description"),
            categories=self.words(m, "categories", f"{label}.categories", CATEGORIES),
            keywords=self.words(m, "keywords", f"{label}.keywords"),
            stages=self.words(m, "stages", f"{label}.stages", STAGES),
            min_age_months=self.number(
                m, "min_age_months", f"{label}.min_age_months", -10, 216, int
            ),
            max_age_months=self.number(m, "max_age_months", f"{label}.max_age_months", 0, 216, int),
            organization_key=self.text(m, "organization", f"{label}.organization") or None,
            place_key=place_key,
            area=self.area(m, f"{label}.area"),
            phone=self.text(m, "phone", f"{label}.phone"),
            fee=self.text(m, "fee", f"{label}.fee"),
            booking=self.text(m, "booking", f"{label}.booking"),
            url=self.text(m, "url", f"{label}.url"),
            notes=self.text(m, "notes", f"{label}.notes"),
            rules=parsed,
            source=self.source(m),
        )

    def rule(self, label: str, r: Any, parent: _Located) -> Rule:
        if not isinstance(r, _Located):
            self.problem(
                parent, "schedule", label, "a mapping such as {days: 月水金, time: '10:00-15:00'}"
            )
            return Rule()
        self.unknown(r, RULE_FIELDS, label)
        weekdays: tuple[int, ...] = ()
        nth: tuple[int, ...] = ()
        if r.get("days") is not None:
            try:
                weekdays, nth = parse_weekdays(str(r["days"]))
            except ValueError:
                self.problem(
                    r,
                    "days",
                    f"{label}.days",
                    "weekdays such as 月・水・金, 平日 or 第2・第4水曜日",
                    r["days"],
                )
        if r.get("nth") is not None:
            raw = r["nth"] if isinstance(r["nth"], list) else [r["nth"]]
            if all(isinstance(n, int) and (1 <= n <= 5 or n == -1) for n in raw):
                nth = tuple(raw)
            else:
                self.problem(
                    r, "nth", f"{label}.nth", "week numbers 1 to 5, or -1 for the last", r["nth"]
                )
        dates = tuple(self.dates(r, label))
        start = end = None
        if r.get("time") is not None:
            try:
                start, end = parse_time_range(str(r["time"]))
            except ValueError:
                self.problem(r, "time", f"{label}.time", "a time range like 10:00-15:00", r["time"])
        if r.get("days") is None and not dates:
            self.problem(r, "days", f"{label}", "'days' or 'dates' in each schedule rule")
        holidays = self.text(r, "holidays", f"{label}.holidays") or "closed"
        if holidays not in ("closed", "open"):
            self.problem(r, "holidays", f"{label}.holidays", "closed or open", holidays)
        return Rule(
            weekdays=weekdays,
            nth=nth,
            dates=dates,
            start=start,
            end=end,
            valid_from=self.one_date(r, "from", label),
            valid_until=self.one_date(r, "until", label),
            closed_on_holidays=holidays == "closed",
            note=self.text(r, "note", f"{label}.note"),
        )

    def one_date(self, r: _Located, key: str, label: str) -> date | None:
        value = r.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            self.problem(r, key, f"{label}.{key}", "a date like 2026-04-01", value)
            return None

    def dates(self, r: _Located, label: str):
        raw = r.get("dates") or []
        for value in raw if isinstance(raw, list) else [raw]:
            if isinstance(value, date):
                yield value
                continue
            try:
                yield parse_date(str(value))
            except ValueError:
                self.problem(r, "dates", f"{label}.dates", "dates like 2026-04-01", value)


def read_yaml(path: Path, name: str, city: City | None) -> Parsed:
    out = Parsed()
    try:
        text, _ = read_text(path, name)
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except FileProblems as exc:
        out.problems.append(exc.problem)
        return out
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = f"valid YAML ({exc.problem})" if exc.problem else "valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, None)
        out.problems.append(Problem(name, line, column, "", what))
        return out
    if doc is None:
        out.problems.append(Problem(name, 1, None, "", "organizations, places or entries"))
        return out
    if not isinstance(doc, _Located):
        out.problems.append(
            Problem(name, 1, 1, "", "a mapping with organizations, places, entries")
        )
        return out
    reader = _Reader(name, city, out)
    reader.unknown(doc, {"organizations", "places", "entries", "sample"} | CITY_KEYS, "")
    out.organizations = [reader.organization(lb, m) for lb, m in reader.items(doc, "organizations")]
    out.places += [reader.place(lb, m) for lb, m in reader.items(doc, "places")]
    out.entries = [reader.entry(lb, m) for lb, m in reader.items(doc, "entries")]
    return out
