"""``python -m bot report monthly --month YYYY-MM --out DIR``: the month's CSVs and charts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.config import ConfigError, load_settings
from bot.i18n import LANGUAGES
from bot.reports.period import Month


@click.group()
def report() -> None:
    """Figures for the city: monthly tables and charts (small counts shown as <5)."""


def _month(value: str | None) -> Month:
    if not value:
        return Month.of(datetime.now(UTC)).previous()
    try:
        return Month.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None


@report.command("monthly")
@click.option("--month", "month_text", metavar="YYYY-MM", help="Default: last month.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="A folder.")
@click.option("--language", type=click.Choice(LANGUAGES), default="ja", show_default=True)
def monthly(month_text: str | None, out: Path, language: str) -> None:
    """Write a CSV per table and a PNG chart per table for one month (Asia/Tokyo)."""
    from bot.knowledge.city import load_city
    from bot.reports.monthly import build_report, write_report
    from bot.storage import crypto
    from bot.storage.db import Database

    month = _month(month_text)
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    crypto.use_keys(settings.data_key)
    db = Database(settings.database_url)
    try:
        with db.reading() as session:
            built = build_report(session, month, load_city(settings.city_file).raw, language)
    finally:
        db.dispose()
    for path in write_report(built, out):
        click.echo(str(path))
