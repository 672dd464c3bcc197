"""Report tables about the case work: notes, cases, time to first contact, referrals.

Counts and codes only: a note's text, a family's words or a provider's reason are never read.
"""

from __future__ import annotations

import math
import statistics
from datetime import datetime

from sqlalchemy import func, select

from bot.cases.labels import REFERRAL_LABELS
from bot.cases.models import Case, ConcernNote, Referral, Staff
from bot.i18n import _
from bot.knowledge.models import KbOrganization
from bot.reports.period import SMALL, mask, shown
from bot.reports.table import Chart, ReportContext, Table
from bot.vocabulary import OUTCOME_LABELS, URGENCY_LABELS

ROLE_LABELS = {
    "member": _("Network member"),
    "specialist": _("Specialist"),
    "admin": _("Admin"),
}


def _in_month(column, ctx: ReportContext):
    return (column >= ctx.month.start) & (column < ctx.month.end)


def _org_kinds(ctx: ReportContext) -> dict[str, str]:
    """Organisation name → kind, from the city file and the knowledge base."""
    kinds = {o.get("name", ""): o.get("kind", "") for o in ctx.city.organizations}
    for name, kind in ctx.session.execute(select(KbOrganization.name, KbOrganization.kind)):
        kinds.setdefault(name, kind)
    return {k: v for k, v in kinds.items() if k and v}


def notes_by_source(ctx: ReportContext) -> Table:
    """Notes filed this month by who sent them: the organisation's kind (else its name) and role."""
    t = ctx.t
    rows = ctx.session.execute(
        select(Staff.role, Staff.org, func.count(ConcernNote.id))
        .select_from(ConcernNote)
        .outerjoin(Staff, Staff.user_id == ConcernNote.reporter_id)
        .where(_in_month(ConcernNote.created_at, ctx))
        .group_by(Staff.role, Staff.org)
    ).all()
    kinds = _org_kinds(ctx)
    counts: dict[tuple[str, str], int] = {}
    for role, org, n in rows:
        role_label = t.gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else t.gettext("Unknown")
        source = kinds.get(org or "") or org or role_label
        counts[(source, role_label)] = counts.get((source, role_label), 0) + n
    keys = sorted(counts)
    values = mask([counts[k] for k in keys])
    return Table(
        "notes_by_source",
        t.gettext("Concern notes by source"),
        [t.gettext("Source"), t.gettext("Role"), t.gettext("Notes")],
        [[s, r, v] for (s, r), v in zip(keys, values, strict=True)],
        Chart(label=0, values=(2,)),
    )


def notes_by_area(ctx: ReportContext) -> Table:
    t = ctx.t
    found = dict(
        ctx.session.execute(
            select(ConcernNote.area, func.count(ConcernNote.id))
            .where(_in_month(ConcernNote.created_at, ctx))
            .group_by(ConcernNote.area)
        ).all()
    )
    areas = [a.id for a in ctx.city.areas]
    areas += sorted(a for a in found if a not in areas)
    values = mask([found.get(a, 0) for a in areas])
    return Table(
        "notes_by_area",
        t.gettext("Concern notes by area"),
        [t.gettext("Area code"), t.gettext("Area"), t.gettext("Notes")],
        [[a, ctx.city.area_name(a), v] for a, v in zip(areas, values, strict=True)],
        Chart(label=1, values=(2,)),
    )


def cases_opened_closed(ctx: ReportContext) -> Table:
    """Cases opened this month, and cases closed this month by outcome."""
    t = ctx.t
    opened = ctx.session.scalar(select(func.count(Case.id)).where(_in_month(Case.created_at, ctx)))
    closed = dict(
        ctx.session.execute(
            select(Case.outcome, func.count(Case.id))
            .where(Case.status == "closed", _in_month(Case.closed_at, ctx))
            .group_by(Case.outcome)
        ).all()
    )
    outcomes = list(OUTCOME_LABELS) + sorted(o for o in closed if o not in OUTCOME_LABELS)
    values = mask([opened or 0] + [closed.get(o, 0) for o in outcomes])
    rows = [[t.gettext("Opened"), "", "", values[0]]]
    for outcome, value in zip(outcomes, values[1:], strict=True):
        label = OUTCOME_LABELS.get(outcome)
        rows.append(
            [t.gettext("Closed"), outcome or "", t.gettext(label) if label else outcome, value]
        )
    return Table(
        "cases_opened_closed",
        t.gettext("Cases opened and closed"),
        [t.gettext("Cases"), t.gettext("Outcome code"), t.gettext("Outcome"), t.gettext("Count")],
        rows,
        Chart(label=(0, 2), values=(3,)),
        note=t.gettext("The first row counts cases opened this month; the others, cases closed."),
    )


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def time_to_first_contact(ctx: ReportContext) -> Table:
    """From a note to its claim (the first contact), for cases claimed this month, in hours.

    With fewer than five cases in a group no figure is shown: one case's time could name it.
    """
    t = ctx.t
    rows = ctx.session.execute(
        select(Case.urgency, Case.created_at, Case.claimed_at).where(
            Case.claimed_at.is_not(None), _in_month(Case.claimed_at, ctx)
        )
    ).all()
    groups: dict[str, list[float]] = {"all": []}
    for urgency, created, claimed in rows:
        hours = _hours(created, claimed)
        groups["all"].append(hours)
        groups.setdefault(urgency, []).append(hours)
    out = []
    for key in ["all", *map(str, URGENCY_LABELS)]:
        hours = groups.get(key, [])
        label = t.gettext("All cases") if key == "all" else t.gettext(URGENCY_LABELS[key])
        if len(hours) < SMALL:
            out.append([label, shown(len(hours)), "", ""])
        else:
            median = round(statistics.median(hours), 1)
            out.append([label, len(hours), median, round(percentile(hours, 90), 1)])
    return Table(
        "time_to_first_contact",
        t.gettext("Time to first contact (note to claim)"),
        [
            t.gettext("Urgency"),
            t.gettext("Claimed cases"),
            t.gettext("Median (hours)"),
            t.gettext("90th percentile (hours)"),
        ],
        out,
        Chart(label=0, values=(2, 3), unit=t.gettext("hours")),
        note=t.gettext("Times are shown only for groups of five cases or more."),
    )


def referrals_by_answer(ctx: ReportContext) -> Table:
    """Referrals asked this month, by the provider's answer so far."""
    t = ctx.t
    found = dict(
        ctx.session.execute(
            select(Referral.status, func.count(Referral.id))
            .where(_in_month(Referral.created_at, ctx))
            .group_by(Referral.status)
        ).all()
    )
    statuses = list(REFERRAL_LABELS) + sorted(s for s in found if s not in REFERRAL_LABELS)
    values = mask([found.get(s, 0) for s in statuses])
    return Table(
        "referrals_by_answer",
        t.gettext("Referrals and their answers"),
        [t.gettext("Answer code"), t.gettext("Answer"), t.gettext("Referrals")],
        [
            [s, t.gettext(REFERRAL_LABELS[s]) if s in REFERRAL_LABELS else s, v]
            for s, v in zip(statuses, values, strict=True)
        ],
        Chart(label=1, values=(2,)),
        note=t.gettext("「Asked」 counts referrals the provider has not answered yet."),
    )
