"""``python -m bot notice send --text … [--stage S] [--area A] [--language L] [--dry-run]``."""

from __future__ import annotations

import click

from bot.cli.context import AppContext, pass_app
from bot.i18n import LANGUAGES
from bot.notices.messages import REFUSALS
from bot.vocabulary import Stage


@click.group()
def notice() -> None:
    """Notices for awareness (普及啓発) to parents, by stage, area and language."""


@notice.command("send")
@click.option("--text", "body", required=True, help="The notice (at most 5,000 characters).")
@click.option("--stage", type=click.Choice([str(s) for s in Stage]), help="Parents of this stage.")
@click.option("--area", help="Parents of this area (an area id of the city file).")
@click.option("--language", type=click.Choice(LANGUAGES), help="Parents using this language.")
@click.option("--dry-run", is_flag=True, help="Only count the recipients and show the quota.")
@pass_app
def send(app: AppContext, body: str, stage, area, language, dry_run: bool) -> None:
    """Send a text to the parents the filters choose (multicast, 500 at a time)."""
    from bot.messaging.client import messaging_api
    from bot.notices.send import Filters, NoticeError, send_notice

    if area and area not in app.city.area_ids:
        choices = ", ".join(sorted(app.city.area_ids))
        raise click.BadParameter(f"one of {choices}", param_hint="--area")
    settings = app.settings
    api = messaging_api(settings.api_endpoint, settings.channel_access_token)
    filters = Filters(stage, area, language)
    try:
        outcome = send_notice(app.database, api, body, filters, app.now(), dry_run=dry_run)
    except NoticeError as exc:
        raise click.ClickException(REFUSALS[str(exc)]) from None
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
