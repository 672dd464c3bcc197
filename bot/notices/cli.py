"""``python -m bot notice send --text … [--stage S] [--area A] [--language L] [--dry-run]``."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from bot.cases.labels import STAGE_LABELS
from bot.config import ConfigError, load_settings
from bot.i18n import LANGUAGES, Translator
from bot.notices.messages import REFUSALS


@click.group()
def notice() -> None:
    """Notices for awareness (普及啓発) to parents, by stage, area and language."""


@notice.command("send")
@click.option("--text", "body", required=True, help="The notice (at most 5,000 characters).")
@click.option("--stage", type=click.Choice(list(STAGE_LABELS)), help="Parents of this stage.")
@click.option("--area", help="Parents of this area (an area id of the city file).")
@click.option("--language", type=click.Choice(LANGUAGES), help="Parents using this language.")
@click.option("--dry-run", is_flag=True, help="Only count the recipients and show the quota.")
def send(body: str, stage: str | None, area: str | None, language: str | None, dry_run: bool):
    """Send a text to the parents the filters choose (multicast, 500 at a time)."""
    from bot.knowledge.city import load_city
    from bot.messaging.client import messaging_api
    from bot.notices.send import Filters, NoticeError, send_notice
    from bot.storage import crypto
    from bot.storage.db import Database

    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    areas = {a.id for a in load_city(settings.city_file).areas}
    if area and area not in areas:
        raise click.BadParameter(f"one of {', '.join(sorted(areas))}", param_hint="--area")
    crypto.use_keys(settings.data_key)
    db = Database(settings.database_url)
    api = messaging_api(settings.api_endpoint, settings.channel_access_token)
    try:
        outcome = send_notice(
            db, api, body, Filters(stage, area, language), datetime.now(UTC), dry_run=dry_run
        )
    except NoticeError as exc:
        raise click.ClickException(Translator("en").gettext(REFUSALS[str(exc)])) from None
    finally:
        db.dispose()
    left = "no limit" if outcome.quota_left is None else str(outcome.quota_left)
    if dry_run:
        click.echo(f"dry run: {outcome.recipients} recipients; quota left this month: {left}")
        return
    click.echo(
        f"notice {outcome.reference or '-'}: {outcome.sent} of {outcome.recipients} sent, "
        f"{outcome.failed} failed; quota left before sending: {left}"
    )
    if outcome.failed:
        raise SystemExit(1)
