"""The audit trail, read for the city: who viewed or changed which case, and when.

Rows come from ``audit_entries`` (views of a note or a consultation request, refusals, purges)
and ``case_events`` (filed, claimed, actions, referrals, hand-overs, closing). Only codes and
ids leave: never a note's text, a family's words or a provider's reason (``words``/``reason``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.models import AuditEntry, Case, CaseEvent, Staff
from bot.i18n import TOKYO
from bot.storage.models import LineUser
from bot.vocabulary import reference_of

LIMIT = 2000  # rows on the page; the CSV has them all
COLUMNS = ("at", "source", "actor_id", "actor_role", "actor_org", "case", "action", "detail")


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    source: str  # audit | case_event
    actor_id: int | None
    actor_role: str
    actor_org: str
    case: str  # K-0042, or what the entry names (S-0001), or ""
    action: str
    detail: str

    def cells(self) -> list[str]:
        return [
            self.at.astimezone(TOKYO).isoformat(timespec="seconds"),
            self.source,
            "" if self.actor_id is None else str(self.actor_id),
            self.actor_role,
            self.actor_org,
            self.case,
            self.action,
            self.detail,
        ]


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(), TOKYO)


def parse_case(text: str | None) -> int | None:
    """「K-0042」, 「k42」 or 「42」 → 42; anything else → None."""
    raw = (text or "").strip().upper().removeprefix("K").lstrip("-").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _codes(detail: dict | None) -> str:
    return " ".join(f"{k}={v}" for k, v in sorted((detail or {}).items()) if v not in (None, ""))


def audit_rows(
    session: Session,
    since: date,
    until: date | None = None,
    case_id: int | None = None,
    person: int | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Both sources merged, newest first, within [since, until] (days in Asia/Tokyo)."""
    start = day_start(since)
    end = day_start(until + timedelta(days=1)) if until else None
    who = {
        uid: (role, org)
        for uid, role, org in session.execute(
            select(LineUser.id, LineUser.role, Staff.org).outerjoin(
                Staff, Staff.user_id == LineUser.id
            )
        )
    }
    kinds = dict(session.execute(select(Case.id, Case.kind)).all())

    def ref(case_id: int) -> str:
        # A purged case's kind is gone with it: its number alone still names it.
        return reference_of(kinds[case_id], case_id) if case_id in kinds else f"#{case_id:04d}"

    rows: list[AuditRow] = []
    for model, when in ((AuditEntry, AuditEntry.at), (CaseEvent, CaseEvent.at)):
        query = select(model).where(when >= start)
        if end is not None:
            query = query.where(when < end)
        if case_id is not None:
            query = query.where(model.case_id == case_id)
        if person is not None:
            query = query.where(model.actor_id == person)
        query = query.order_by(when.desc(), model.id.desc())
        if limit:
            query = query.limit(limit)
        for item in session.scalars(query):
            role, org = who.get(item.actor_id, ("", "")) if item.actor_id else ("", "")
            if isinstance(item, AuditEntry):
                case = ref(item.case_id) if item.case_id else item.detail
                row = AuditRow(
                    item.at,
                    "audit",
                    item.actor_id,
                    role,
                    org or "",
                    case,
                    item.action,
                    item.detail if item.case_id else "",
                )
            else:
                row = AuditRow(
                    item.at,
                    "case_event",
                    item.actor_id,
                    role,
                    org or "",
                    ref(item.case_id),
                    item.kind,
                    _codes(item.detail),
                )
            rows.append(row)
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:limit] if limit else rows


def audit_csv(rows: list[AuditRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return out.getvalue()
