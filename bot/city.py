"""The city file (city.yaml), read once into one typed ``City``: its areas, emergency numbers,
business calendar, the clock's settings, organisations, knowledge files and search synonyms.

The app factory and the CLI context read it from ``Settings.city_file`` and hand the same object
to everything that needs it; nothing else reads the file or the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.calendar import NEW_YEAR_CLOSED, BusinessCalendar, CityCalendar, parse_time_range
from bot.vocabulary import OUTCOME_LABELS


class CityFileError(ValueError):
    """The city file cannot be read or lacks something it must have; the message says what."""


_AREA_SUFFIXES = ("区", "部", "のほう", "の方", "方面", "エリア", "地域", "側", "がわ")
_KANA_SUFFIXES = ("く", "のほう", "ほうめん", "えりあ", "がわ")


@dataclass(frozen=True)
class Area:
    """A 地区: the unit a specialist covers and parents filter by."""

    id: str
    name: str
    kana: str = ""
    # Town names (町名) that place an address in this area when a file gives no area.
    towns: tuple[str, ...] = ()
    # The name in the bot's other languages (「North (北地区)」), by language code.
    names: Mapping[str, str] = field(default_factory=dict)

    def label(self, language: str | None = None) -> str:
        """The name a person reading ``language`` is shown (the Japanese one by default)."""
        return self.names.get(language or "", "") or self.name

    @property
    def casual_names(self) -> tuple[str, ...]:
        """How parents name the area without its official name: 「北区」「北のほう」「きたのほう」
        「北エリア」 for 北地区 (only when the name ends in 地区, its reading in ちく)."""
        base, kana_base = self.name.removesuffix("地区"), self.kana.removesuffix("ちく")
        found = [base + s for s in _AREA_SUFFIXES] if base != self.name else []
        if kana_base != self.kana:
            found += [kana_base + s for s in _KANA_SUFFIXES]
        return tuple(found)


@dataclass(frozen=True)
class EmergencyNumber:
    name: str
    phone: str


@dataclass(frozen=True)
class City:
    path: Path
    name: str
    areas: tuple[Area, ...]
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    # Keys as the safety routes name them: child_abuse_hotline, police, ambulance …
    emergency: Mapping[str, EmergencyNumber] = field(default_factory=dict)
    stale_after: int = 10  # business days without a recorded change: the case is stale
    retention_days: int = 1825  # closed cases are purged after this many days
    # How a case may end, in the order offered (codes of vocabulary.OUTCOME_LABELS).
    outcomes: tuple[str, ...] = tuple(OUTCOME_LABELS)
    # A provider's answer about its places older than this is asked again by the clock.
    availability_max_age_days: int = 30
    # Outreach consultations (出張相談): a session's time is cut into slots of this many
    # minutes, one family each; parents see the sessions this many days ahead.
    outreach_slot_minutes: int = 30
    outreach_days_ahead: int = 28
    organizations: tuple[dict, ...] = ()
    knowledge_files: tuple[Path, ...] = ()
    # Parent's word → words to search for as well (the city edits this list).
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    needs: Mapping = field(default_factory=dict)  # needs.yaml as written (bot.knowledge.needs)
    # multilingual.yaml as written: other languages' words → Japanese search words
    # (bot.knowledge.multilingual).
    multilingual: Mapping = field(default_factory=dict)

    def area(self, area_id: str | None) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def area_name(self, area_id: str | None, language: str | None = None) -> str:
        """The area's name, in ``language`` where the city file gives one; "" for none."""
        area = self.area(area_id)
        return area.label(language) if area else (area_id or "")

    @property
    def area_ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.areas)

    def area_for_address(self, address: str) -> str | None:
        """The area whose name or one of whose towns appears in an address."""
        for a in self.areas:
            if a.name in address or any(t in address for t in a.towns):
                return a.id
        return None

    def organization_name(self, key: str) -> str | None:
        return next((o.get("name") for o in self.organizations if o.get("key") == key), None)


def load_city(path: Path | str) -> City:
    """Read a city file; relative file names inside it are relative to the file itself."""
    path = Path(path).resolve()
    try:
        return _load(path, path.stat().st_mtime_ns)
    except OSError as exc:
        raise CityFileError(f"cannot read the city file {path}: {exc.strerror}") from None


@lru_cache(maxsize=8)
def _load(path: Path, _mtime: int) -> City:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CityFileError(f"{path}{where}: not valid YAML") from None
    try:
        return _city(path, data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CityFileError(f"{path}: {type(exc).__name__} {exc}") from None


def _city(path: Path, data: dict) -> City:
    towns = data.get("area_towns") or {}
    areas = tuple(
        Area(
            str(a["id"]),
            str(a["name"]),
            a.get("kana", ""),
            tuple(towns.get(a["id"], ())),
            {str(k): str(v) for k, v in (a.get("names") or {}).items()},
        )
        for a in data.get("areas") or ()
    )
    if not areas:
        raise ValueError("the city file names no areas")
    settings = data.get("calendar") or {}
    closed = settings.get("closed_days")
    hours = settings.get("office_hours")
    opening, closing = parse_time_range(str(hours)) if hours else (None, None)
    calendar = BusinessCalendar(
        CityCalendar.from_strings(NEW_YEAR_CLOSED if closed is None else closed),
        **({"morning": opening} if opening else {}),
        **({"closing": closing} if closing else {}),
    )
    emergency = {
        str(key): EmergencyNumber(str(line["name"]), str(line["phone"]))
        for key, line in (data.get("emergency") or {}).items()
        if line and line.get("phone")
    }
    outcomes = tuple(data.get("case_outcomes") or OUTCOME_LABELS)
    unknown = [o for o in outcomes if o not in OUTCOME_LABELS]
    if unknown:
        raise ValueError(f"case_outcomes: unknown {unknown}; known are {', '.join(OUTCOME_LABELS)}")
    synonyms: dict[str, tuple[str, ...]] = {}
    if data.get("synonyms"):
        raw = yaml.safe_load((path.parent / data["synonyms"]).read_text(encoding="utf-8"))
        for word, targets in (raw or {}).get("synonyms", {}).items():
            synonyms[str(word)] = tuple([targets] if isinstance(targets, str) else targets)
    needs = {}
    if data.get("needs"):
        needs = yaml.safe_load((path.parent / data["needs"]).read_text(encoding="utf-8")) or {}
    multilingual = {}
    if data.get("multilingual"):
        text = (path.parent / data["multilingual"]).read_text(encoding="utf-8")
        multilingual = yaml.safe_load(text) or {}
    return City(
        path=path,
        name=(data.get("city") or {}).get("name", ""),
        areas=areas,
        calendar=calendar,
        emergency=emergency,
        stale_after=int(settings.get("stale_after_business_days", 10)),
        retention_days=int(settings.get("retention_days", 1825)),
        outcomes=outcomes,
        availability_max_age_days=int(
            (data.get("providers") or {}).get("availability_max_age_days", 30)
        ),
        outreach_slot_minutes=_minutes((data.get("outreach") or {}).get("slot_minutes", 30)),
        outreach_days_ahead=int((data.get("outreach") or {}).get("days_ahead", 28)),
        organizations=tuple(data.get("organizations") or ()),
        knowledge_files=tuple(path.parent / f for f in data.get("knowledge") or ()),
        synonyms=synonyms,
        needs=needs,
        multilingual=multilingual,
    )


def _minutes(value) -> int:
    minutes = int(value)
    if not 5 <= minutes <= 240:
        raise ValueError(f"outreach: slot_minutes must be 5 to 240, got {minutes}")
    return minutes
