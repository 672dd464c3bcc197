"""Writing the knowledge base back out in the project's YAML format (round-trips on import)."""

from __future__ import annotations

import yaml

from bot.knowledge.records import Entry, Organization, Place, Rule
from bot.knowledge.store import entry_values, load_all, org_values, place_values
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
    return _clean({"key": o.key, **org_values(o)})


def place_yaml(p: Place) -> dict:
    return _clean({"key": p.key, **place_values(p)})


def entry_yaml(e: Entry) -> dict:
    # The same fields the store writes, plus the references and rules it keeps apart.
    return _clean(
        {
            "key": e.key,
            **entry_values(e),
            "organization": e.organization_key,
            "place": e.place_key,
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
