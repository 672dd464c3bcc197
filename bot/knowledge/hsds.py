"""The knowledge base as Open Referral HSDS 3.0 JSON: organizations, services, locations,
schedules and the links between services and locations, as flat lists joined by ids.

Ids are UUIDs derived from the city and each record's key (uuid5), so an export made again
gives the same ids. Fields the knowledge base does not hold (postal code, prefecture) are left
empty where HSDS requires them. Schedules follow RFC 5545 as HSDS asks: weekly rules, monthly
"nth weekday" rules (2WE, -1FR) and single dates (count 1); times carry the +09:00 offset.
"""

from __future__ import annotations

import uuid
from datetime import date

from bot.city import City
from bot.knowledge.export import rule_yaml
from bot.knowledge.records import Entry, Organization, Place, Rule
from bot.knowledge.vocabulary import KINDS, STAGES

HSDS_VERSION = "3.0"
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # date.weekday() order
OFFSET = "+09:00"
CITY_ORG = "city"  # the organization of entries that name none: the city itself


def _id(city_name: str, what: str, key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tsunagu:{city_name}:{what}:{key}"))


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, "", [], ())}


def _web(url: str) -> str | None:
    return url if url.startswith(("http://", "https://")) else None


class _Ids:
    def __init__(self, city_name: str):
        self.city_name = city_name

    def __call__(self, what: str, key: str) -> str:
        return _id(self.city_name, what, key)


def _phone(ids: _Ids, owner: str, owner_id: str, key: str, number: str) -> list[dict]:
    if not number:
        return []
    return [{"id": ids("phone", f"{owner}:{key}"), f"{owner}_id": owner_id, "number": number}]


def organization(ids: _Ids, o: Organization) -> dict:
    oid = ids("organization", o.key)
    return _clean(
        {
            "id": oid,
            "name": o.name,
            "alternate_name": o.kana,
            "description": o.kind or o.name,  # required by HSDS; the kind is what we know
            "website": _web(o.url),
            "phones": _phone(ids, "organization", oid, o.key, o.phone),
        }
    )


def location(ids: _Ids, p: Place, city_name: str, prefecture: str) -> dict:
    lid = ids("location", p.key)
    address = {
        "id": ids("address", p.key),
        "location_id": lid,
        "address_1": p.address,
        "city": city_name,
        "state_province": prefecture,
        "postal_code": "",
        "country": "JP",
        "address_type": "physical",
    }
    return _clean(
        {
            "id": lid,
            "location_type": "physical",
            "name": p.name,
            "alternate_name": p.kana,
            "transportation": p.access,
            "latitude": p.lat,
            "longitude": p.lng,
            "external_identifier": p.key,
            "external_identifier_type": "tsunagu-key",
            "addresses": [address] if p.address else [],
        }
    )


def _times(r: Rule) -> dict:
    return {
        "opens_at": f"{r.start:%H:%M}{OFFSET}" if r.start else None,
        "closes_at": f"{r.end:%H:%M}{OFFSET}" if r.end else None,
    }


def schedules(ids: _Ids, e: Entry, service_id: str) -> list[dict]:
    out = []
    for i, r in enumerate(e.rules):
        text = rule_yaml(r)
        common = {
            "service_id": service_id,
            "timezone": 9,
            "wkst": "MO",
            "description": " ".join(str(text[k]) for k in ("days", "time") if text.get(k)),
            "notes": " ".join(
                x for x in (r.note, "" if not r.closed_on_holidays else "祝日・休館日を除く") if x
            ),
            "valid_from": r.valid_from.isoformat() if r.valid_from else None,
            "valid_to": r.valid_until.isoformat() if r.valid_until else None,
            **_times(r),
        }
        if r.weekdays:
            days = [RRULE_DAYS[d] for d in r.weekdays]
            if r.nth:
                byday = ",".join(f"{n}{d}" for n in r.nth for d in days)
                rule = {"freq": "MONTHLY", "byday": byday}
            else:
                rule = {"freq": "WEEKLY", "byday": ",".join(days)}
            out.append(_clean({"id": ids("schedule", f"{e.key}:{i}"), **common, **rule}))
        for d in r.dates:
            one = {
                "freq": "WEEKLY",
                "count": 1,
                "dtstart": d.isoformat(),
                "byday": RRULE_DAYS[d.weekday()],
                "valid_from": d.isoformat(),
                "valid_to": d.isoformat(),
            }
            out.append(_clean({"id": ids("schedule", f"{e.key}:{i}:{d}"), **common, **one}))
    return out


def _years(months: int | None) -> float | None:
    return None if months is None else round(months / 12, 2)


def service(ids: _Ids, e: Entry, org_key: str) -> dict:
    sid = ids("service", e.key)
    description = "\n".join(x for x in (e.summary, e.description) if x)
    kind = KINDS.get(e.kind, e.kind)
    return _clean(
        {
            "id": sid,
            "organization_id": ids("organization", org_key),
            "name": e.name,
            "alternate_name": e.kana,
            "description": f"【{kind}】{description}" if description else f"【{kind}】",
            "url": _web(e.url),
            "status": "active",
            "fees_description": e.fee,
            "application_process": e.booking,
            "eligibility_description": "・".join(STAGES[s] for s in e.stages if s in STAGES),
            # Pregnancy is a negative age in months here; HSDS ages start at 0.
            "minimum_age": _years(None if e.min_age_months is None else max(e.min_age_months, 0)),
            "maximum_age": _years(e.max_age_months),
            "alert": e.notes,
            "phones": _phone(ids, "service", sid, e.key, e.phone),
        }
    )


def export_hsds(
    orgs: list[Organization],
    places: list[Place],
    entries: list[Entry],
    city: City,
    today: date | None = None,
) -> dict:
    """The whole knowledge base as one HSDS 3.0 document (flat lists, joined by ids)."""
    name, prefecture = city.name, ""  # the city file names no prefecture
    ids = _Ids(name)
    known = {o.key for o in orgs}
    out_orgs = [organization(ids, o) for o in orgs]
    if any(e.organization_key not in known for e in entries):
        out_orgs.append({"id": ids("organization", CITY_ORG), "name": name, "description": name})
    services, links, rules = [], [], []
    place_ids = {p.key for p in places}
    for e in entries:
        org_key = e.organization_key if e.organization_key in known else CITY_ORG
        s = service(ids, e, org_key)
        services.append(s)
        rules += schedules(ids, e, s["id"])
        if e.place_key in place_ids:
            links.append(
                {
                    "id": ids("service_at_location", e.key),
                    "service_id": s["id"],
                    "location_id": ids("location", e.place_key),
                }
            )
    return {
        "hsds_version": HSDS_VERSION,
        "generated_on": (today or date.today()).isoformat(),
        "organizations": out_orgs,
        "services": services,
        "locations": [location(ids, p, name, prefecture) for p in places],
        "service_at_locations": links,
        "schedules": rules,
    }
