"""The city file (city.yaml): areas, calendar, organizations, synonyms and knowledge files.

`load_city()` reads the file named by BOT_CITY, or the shipped sample city.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import SAMPLE_CITY
from bot.config import load_city as read_city_file
from bot.knowledge.schedule import CityCalendar


@dataclass(frozen=True)
class Area:
    """A 地区: the unit a specialist covers and parents filter by."""

    id: str
    name: str
    kana: str = ""
    # Town names (町名) that place an address in this area when a file gives no area.
    towns: tuple[str, ...] = ()


@dataclass(frozen=True)
class City:
    path: Path
    name: str
    areas: tuple[Area, ...]
    calendar: CityCalendar
    organizations: tuple[dict, ...] = ()
    knowledge_files: tuple[Path, ...] = ()
    # Parent's word → words to search for as well (the city edits this list).
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The file as read: what handlers look up directly (emergency numbers, area names).
    raw: dict = field(default_factory=dict, compare=False)

    def area(self, area_id: str | None) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def area_for_address(self, address: str) -> str | None:
        """The area whose name or one of whose towns appears in an address."""
        for a in self.areas:
            if a.name in address or any(t in address for t in a.towns):
                return a.id
        return None


def city_path() -> Path:
    return Path(os.environ.get("BOT_CITY", "").strip() or SAMPLE_CITY)


def load_city(path: Path | str | None = None) -> City:
    """Read a city file; relative file names inside it are relative to the file itself."""
    path = Path(path) if path else city_path()
    return _load(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: Path, _mtime: int) -> City:
    data = read_city_file(path)
    towns = data.get("area_towns") or {}
    areas = tuple(
        Area(a["id"], a["name"], a.get("kana", ""), tuple(towns.get(a["id"], ())))
        for a in data.get("areas") or ()
    )
    synonyms: dict[str, tuple[str, ...]] = {}
    if data.get("synonyms"):
        raw = yaml.safe_load((path.parent / data["synonyms"]).read_text(encoding="utf-8"))
        for word, targets in (raw or {}).get("synonyms", {}).items():
            synonyms[str(word)] = tuple([targets] if isinstance(targets, str) else targets)
    return City(
        path=path,
        name=(data.get("city") or {}).get("name", ""),
        areas=areas,
        calendar=CityCalendar.from_strings((data.get("calendar") or {}).get("closed_days", ())),
        organizations=tuple(data.get("organizations") or ()),
        knowledge_files=tuple(path.parent / f for f in data.get("knowledge") or ()),
        synonyms=synonyms,
        raw=data,
    )
