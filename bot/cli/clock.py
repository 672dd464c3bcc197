"""``python -m bot clock`` (the Procfile's clock process) and ``python -m bot reminders run``
(one tick as of a time, for operators and tests)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from bot.cli.context import AppContext, pass_app
from bot.i18n import TOKYO


@click.command()
@pass_app
def clock(app: AppContext) -> None:
    """The clock alone (Procfile ``clock:``): scheduled jobs write to the outbox."""
    from bot.scheduler.clock import Clock

    Clock(app.app(), blocking=True).start()


@click.group()
def reminders() -> None:
    """Follow-up reminders, escalations and digests (the clock's jobs)."""


def _moment(app: AppContext, value: str | None) -> datetime:
    if not value:
        return app.now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 time, e.g. 2027-01-12T09:00+09:00", param_hint="--now"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=TOKYO)).astimezone(UTC)


@reminders.command("run")
@click.option(
    "--now",
    "as_of",
    metavar="ISO8601",
    help="Tick as of this time (no offset: Asia/Tokyo). Default: now.",
)
@click.option("--deliver", is_flag=True, help="Also deliver what is due in the outbox.")
@pass_app
def run(app: AppContext, as_of: str | None, deliver: bool) -> None:
    """Run one clock tick as of a time; running it again sends nothing twice."""
    from bot.scheduler.tick import ClockParts, tick

    moment = _moment(app, as_of)
    tsunagu = app.app()
    done = tick(ClockParts.of(tsunagu), moment)
    sent = tsunagu.runtime.deliver() if deliver else None
    click.echo(
        f"tick as of {moment.astimezone(TOKYO).isoformat()}: "
        f"{done['reminders']} reminders over {done['mornings']} business mornings, "
        f"{done['urgent']} urgent notes escalated, "
        f"{done['dead_letters']} dead letters reported, {done['purged']} closed cases purged, "
        f"{done['bookings']} outreach bookings reminded"
        + (f", {sent} outbox rows delivered" if sent is not None else "")
    )
