"""Writing the knowledge base back out in the project's YAML format (round-trips on import)."""

from __future__ import annotations

import yaml

from bot.knowledge.records import Entry, Organization, Place, Rule
from bot.knowledge.store import load_all
from bot.knowledge.vocabulary import WEEKDAYS
from bot.storage.db import Database


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, "", [], ())}


def rule_yaml(r: Rule) -> dict:
    time = ""
    if r.start:
        time = f"{r.start:%H:%M}-{r.end:%H:%M}" if r.end else f"{r.start:%H:%M}-"
    return _clean(
        {
            "days": "・".join(WEEKDAYS[d] for d in r.weekdays),
            "nth": list(r.nth),
            "dates": [d.isoformat() for d in r.dates],
            "time": time,
            "from": r.valid_from.isoformat() if r.valid_from else None,
            "until": r.valid_until.isoformat() if r.valid_until else None,
            "holidays": None if r.closed_on_holidays else "open",
            "note": r.note,
        }
    )


def organization_yaml(o: Organization) -> dict:
    return _clean(
        {
            "key": o.key,
            "name": o.name,
            "kana": o.kana,
            "kind": o.kind,
            "phone": o.phone,
            "url": o.url,
        }
    )


def place_yaml(p: Place) -> dict:
    return _clean(
        {
            "key": p.key,
            "name": p.name,
            "kana": p.kana,
            "address": p.address,
            "lat": p.lat,
            "lng": p.lng,
            "area": p.area,
            "access": p.access,
        }
    )


def entry_yaml(e: Entry) -> dict:
    return _clean(
        {
            "key": e.key,
            "kind": e.kind,
            "name": e.name,
            "kana": e.kana,
            "summary": e.summary,
            "description": e.description,
            "categories": list(e.categories),
            "keywords": list(e.keywords),
            "stages": list(e.stages),
            "min_age_months": e.min_age_months,
            "max_age_months": e.max_age_months,
            "organization": e.organization_key,
            "place": e.place_key,
            "area": e.area,
            "phone": e.phone,
            "fee": e.fee,
            "booking": e.booking,
            "url": e.url,
            "notes": e.notes,
            "schedule": [rule_yaml(r) for r in e.rules],
        }
    )


def export_yaml(db: Database) -> str:
    orgs, places, entries = load_all(db)
    data = {
        "organizations": [organization_yaml(o) for o in orgs],
        "places": [place_yaml(p) for p in places],
        "entries": [entry_yaml(e) for e in entries],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
