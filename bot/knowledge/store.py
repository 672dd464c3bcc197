"""Reading and writing the knowledge base: upsert by key, and load entries for search."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.knowledge.models import KbEntry, KbOrganization, KbPlace, KbSchedule
from bot.knowledge.records import Entry, Organization, Place, Provenance, Rule
from bot.storage.db import Database


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def content_hash(record: Organization | Place | Entry) -> str:
    data = asdict(replace(record, source=Provenance()))
    return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def _provenance(row, record) -> None:
    row.source_file = record.source.file
    row.source_line = record.source.line
    row.importer = record.source.importer


def save(
    session: Session,
    organizations: list[Organization],
    places: list[Place],
    entries: list[Entry],
) -> Counts:
    """Create or update every record by its key, inside the caller's transaction."""
    counts = Counts()
    orgs = _upsert(session, KbOrganization, organizations, org_values, counts)
    place_rows = _upsert(session, KbPlace, places, place_values, counts)
    session.flush()
    known_orgs = {r.key: r for r in session.scalars(select(KbOrganization))} | orgs
    known_places = {r.key: r for r in session.scalars(select(KbPlace))} | place_rows

    def entry_row_values(e: Entry) -> dict:
        values = entry_values(e)
        values["organization"] = known_orgs.get(e.organization_key) if e.organization_key else None
        values["place"] = known_places.get(e.place_key) if e.place_key else None
        values["schedules"] = [_schedule_row(i, r) for i, r in enumerate(e.rules)]
        return values

    _upsert(session, KbEntry, entries, entry_row_values, counts)
    return counts


def _upsert(session: Session, model, records, values, counts: Counts) -> dict:
    keys = [r.key for r in records]
    existing = {r.key: r for r in session.scalars(select(model).where(model.key.in_(keys)))}
    rows = {}
    for record in records:
        digest = content_hash(record)
        row = existing.get(record.key)
        if row is None:
            row = model(key=record.key)
            session.add(row)
            counts.created += 1
        elif row.content_hash == digest:
            counts.unchanged += 1
            _provenance(row, record)  # a row that moved in its file still points at its line
            rows[record.key] = row
            continue
        else:
            counts.updated += 1
        for name, value in values(record).items():
            setattr(row, name, value)
        row.content_hash = digest
        _provenance(row, record)
        rows[record.key] = row
    return rows


def org_values(o: Organization) -> dict:
    return {"name": o.name, "kana": o.kana, "kind": o.kind, "phone": o.phone, "url": o.url}


def place_values(p: Place) -> dict:
    return {
        "name": p.name,
        "kana": p.kana,
        "address": p.address,
        "lat": p.lat,
        "lng": p.lng,
        "area": p.area,
        "access": p.access,
    }


def entry_values(e: Entry) -> dict:
    return {
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
        "area": e.area,
        "phone": e.phone,
        "fee": e.fee,
        "booking": e.booking,
        "url": e.url,
        "notes": e.notes,
    }


def _schedule_row(position: int, r: Rule) -> KbSchedule:
    return KbSchedule(
        position=position,
        weekdays=list(r.weekdays),
        nth=list(r.nth),
        dates=[d.isoformat() for d in r.dates],
        start_time=f"{r.start:%H:%M}" if r.start else None,
        end_time=f"{r.end:%H:%M}" if r.end else None,
        valid_from=r.valid_from,
        valid_until=r.valid_until,
        closed_on_holidays=r.closed_on_holidays,
        note=r.note,
    )


# --- reading back -------------------------------------------------------------------------


def _source(row) -> Provenance:
    return Provenance(row.source_file, row.source_line, row.importer)


def organization_record(row: KbOrganization) -> Organization:
    return Organization(row.key, row.name, row.kana, row.kind, row.phone, row.url, _source(row))


def place_record(row: KbPlace) -> Place:
    return Place(
        row.key,
        row.name,
        row.kana,
        row.address,
        row.lat,
        row.lng,
        row.area,
        row.access,
        _source(row),
    )


def _rule(s: KbSchedule) -> Rule:
    return Rule(
        weekdays=tuple(s.weekdays or ()),
        nth=tuple(s.nth or ()),
        dates=tuple(date.fromisoformat(d) for d in s.dates or ()),
        start=time.fromisoformat(s.start_time) if s.start_time else None,
        end=time.fromisoformat(s.end_time) if s.end_time else None,
        valid_from=s.valid_from,
        valid_until=s.valid_until,
        closed_on_holidays=s.closed_on_holidays,
        note=s.note,
    )


def entry_record(row: KbEntry) -> Entry:
    return Entry(
        key=row.key,
        kind=row.kind,
        name=row.name,
        kana=row.kana,
        summary=row.summary,
        description=row.description,
        categories=tuple(row.categories or ()),
        keywords=tuple(row.keywords or ()),
        stages=tuple(row.stages or ()),
        min_age_months=row.min_age_months,
        max_age_months=row.max_age_months,
        organization_key=row.organization.key if row.organization else None,
        place_key=row.place.key if row.place else None,
        area=row.area,
        phone=row.phone,
        fee=row.fee,
        booking=row.booking,
        url=row.url,
        notes=row.notes,
        rules=tuple(_rule(s) for s in row.schedules),
        source=_source(row),
        place=place_record(row.place) if row.place else None,
        organization=organization_record(row.organization) if row.organization else None,
    )


def load_entries(db: Database) -> list[Entry]:
    """Every entry with its place, organization and rules, in key order (for the index)."""
    with db.reading() as session:  # may run inside a handler's transaction: take no write lock
        rows = session.scalars(select(KbEntry).order_by(KbEntry.key)).unique()
        return [entry_record(r) for r in rows]


def load_all(db: Database) -> tuple[list[Organization], list[Place], list[Entry]]:
    """Everything, for export."""
    with db.transaction() as session:
        orgs = [organization_record(r) for r in session.scalars(select(KbOrganization))]
        places = [place_record(r) for r in session.scalars(select(KbPlace))]
    orgs.sort(key=lambda o: o.key)
    places.sort(key=lambda p: p.key)
    return orgs, places, load_entries(db)
