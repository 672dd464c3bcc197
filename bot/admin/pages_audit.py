"""The audit-trail page: who viewed or changed which case, filtered by case, person and dates,
with the same rows as a CSV download (``python -m bot audit export`` writes it too)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, request

from bot.admin.audit import LIMIT, audit_csv, audit_rows, parse_case
from bot.admin.frame import admin_required, now, page, tsunagu
from bot.i18n import TOKYO, _

BAD_FILTER = _("Check the filters: a case like K-0042, a person's number, dates like 2027-01-31.")


def _filters() -> tuple[dict, list[str]]:
    args, problems = request.args, []
    today = now().astimezone(TOKYO).date()
    found: dict = {"since": today - timedelta(days=30), "until": None, "case": None, "person": None}
    for name in ("since", "until"):
        if args.get(name):
            try:
                found[name] = date.fromisoformat(args[name])
            except ValueError:
                problems.append(name)
    if args.get("case"):
        found["case"] = parse_case(args["case"])
        if found["case"] is None:
            problems.append("case")
    if args.get("person"):
        if args["person"].strip().isdigit():
            found["person"] = int(args["person"])
        else:
            problems.append("person")
    return found, problems


def _rows(filters: dict, limit: int | None):
    with tsunagu().db.reading() as session:
        return audit_rows(
            session,
            filters["since"],
            filters["until"],
            case_id=filters["case"],
            person=filters["person"],
            limit=limit,
        )


@admin_required
def audit_page():
    filters, problems = _filters()
    rows = [] if problems else _rows(filters, LIMIT + 1)
    return page(
        "admin/audit.html",
        400 if problems else 200,
        rows=rows[:LIMIT],
        more=len(rows) > LIMIT,
        filters=filters,
        message=BAD_FILTER if problems else None,
        query=request.query_string.decode(),
    )


@admin_required
def audit_download():
    filters, problems = _filters()
    if problems:
        return page("admin/audit.html", 400, rows=[], filters=filters, message=BAD_FILTER)
    body = "\ufeff" + audit_csv(_rows(filters, None))
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/audit", "audit", audit_page)
    bp.add_url_rule("/audit.csv", "audit_csv", audit_download)
