"""``python -m bot report monthly --month YYYY-MM --out DIR``: the month's CSVs and charts."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.context import AppContext, pass_app
from bot.i18n import LANGUAGES
from bot.reports.period import Month

# Reports are drawn with a Japanese font: written in Japanese or English.
REPORT_LANGUAGES = tuple(x for x in LANGUAGES if x in ("ja", "en"))


@click.group()
def report() -> None:
    """Figures for the city: monthly tables and charts (small counts shown as <5)."""


@report.command("monthly")
@click.option("--month", "month_text", metavar="YYYY-MM", help="Default: last month.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="A folder.")
@click.option("--language", type=click.Choice(REPORT_LANGUAGES), default="ja", show_default=True)
@pass_app
def monthly(app: AppContext, month_text: str | None, out: Path, language: str) -> None:
    """Write a CSV per table and a PNG chart per table for one month (Asia/Tokyo)."""
    from bot.reports.monthly import build_report, write_report

    try:
        month = Month.parse(month_text) if month_text else Month.of(app.now()).previous()
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None
    with app.database.reading() as session:
        built = build_report(session, month, app.city, language)
    for path in write_report(built, out):
        click.echo(str(path))
