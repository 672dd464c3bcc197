"""The figures page: a month's tables (masked as in the CSVs) with their charts and downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from bot.admin.frame import admin_required, now, page, t, tsunagu
from bot.reports.charts import render_png
from bot.reports.monthly import build_report, table_csv
from bot.reports.period import Month


def _month(text: str | None) -> Month:
    if not text:
        return Month.of(now())
    try:
        return Month.parse(text)
    except ValueError:
        abort(404)


def _report(month: Month):
    with tsunagu().db.reading() as session:
        return build_report(session, month, tsunagu().city, t().language)


@admin_required
def reports():
    month = _month(request.args.get("month"))
    return page(
        "admin/reports.html",
        report=_report(month),
        month=str(month),
        previous=str(month.previous()),
        following=str(month.next()),
    )


def _table(month_text: str, name: str):
    report = _report(_month(month_text))
    table = next((x for x in report.tables if x.name == name), None)
    if table is None:
        abort(404)
    return table


@admin_required
def chart(month: str, name: str):
    table = _table(month, name)
    if table.chart is None:
        abort(404)
    return Response(render_png(table), mimetype="image/png")


@admin_required
def download(month: str, name: str):
    table = _table(month, name)
    body = "\ufeff" + table_csv(table)  # a BOM: Excel then reads the Japanese as UTF-8
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{month}_{name}.csv"'},
    )


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/reports", "reports", reports)
    bp.add_url_rule("/reports/<month>/<name>.png", "chart", chart)
    bp.add_url_rule("/reports/<month>/<name>.csv", "download", download)
