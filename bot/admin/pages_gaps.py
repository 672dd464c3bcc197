"""The page of questions the bot could not answer (kb gaps), grouped by gist, for the editors who
keep the knowledge base current; the same groups as a CSV (``python -m bot kb gaps`` writes it
too). Only what was asked is kept — masked, with the day and never who (``bot.knowledge.gaps``)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from flask import Blueprint, Response, request

from bot.admin.frame import admin_required, now, page, tsunagu
from bot.i18n import TOKYO, _
from bot.knowledge.gaps import groups, write_csv

BAD_SINCE = _("Check the date: like 2027-01-31.")
SHOWN = 200  # groups on the page; the CSV has them all


def _since() -> date | None:
    given = request.args.get("since", "").strip()
    if not given:
        return now().astimezone(TOKYO).date() - timedelta(days=30)
    try:
        return date.fromisoformat(given)
    except ValueError:
        return None


@admin_required
def gaps_page():
    since = _since()
    if since is None:
        return page("admin/gaps.html", 400, found=[], since="", message=BAD_SINCE)
    found = groups(tsunagu().db, since)
    return page(
        "admin/gaps.html",
        found=found[:SHOWN],
        more=len(found) > SHOWN,
        since=since.isoformat(),
        message=None,
    )


@admin_required
def gaps_download():
    since = _since()
    if since is None:
        return page("admin/gaps.html", 400, found=[], since="", message=BAD_SINCE)
    out = io.StringIO()
    write_csv(groups(tsunagu().db, since), out)
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="kb-gaps-since-{since}.csv"'},
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/gaps", "gaps", gaps_page)
    bp.add_url_rule("/gaps.csv", "gaps_csv", gaps_download)
