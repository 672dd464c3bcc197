"""The operator CLI: ``python -m bot --help`` lists every command."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

import click

from bot.config import ConfigError, load_settings


def _settings():
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def cli(verbose: bool) -> None:
    """Tsunagu (つなぐ): the LINE bot for the city's 利用者支援事業."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Quiet the libraries: request lines name users, and the clock's ticks say nothing new.
    for name in ("alembic", "werkzeug", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: $PORT or 8000.")
@click.option("--no-clock", is_flag=True, help="Do not run the clock in this process.")
def serve(host: str, port: int | None, no_clock: bool) -> None:
    """Web, event processing and (unless --no-clock) the clock, in one process."""
    if port is not None:
        os.environ["PORT"] = str(port)
    settings = _settings()
    from werkzeug.serving import make_server

    from bot import create_app

    app = create_app(settings)
    tsunagu = app.extensions["tsunagu"]
    server = make_server(host, settings.port, app, threaded=True)  # listening from here on
    web = threading.Thread(target=server.serve_forever, name="tsunagu-web", daemon=True)
    web.start()
    if settings.local_mode:
        _dress_the_double(tsunagu)
    tsunagu.runtime.start()
    clock = None
    if not no_clock:
        from bot.scheduler.clock import Clock

        clock = Clock(tsunagu)
        clock.start()
    where = f"http://{host}:{settings.port}"
    click.echo(f"Tsunagu is listening on {where}")
    if settings.local_mode:
        click.echo(f"Local mode: open {where}/simulator to talk to the bot")
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        if clock:
            clock.stop()
        tsunagu.runtime.stop()


def _dress_the_double(tsunagu) -> None:
    """Local mode: the double starts empty each run, so put the menus on it (as an operator
    would on LINE) and link the registered staff's menus again, before delivery starts."""
    from sqlalchemy import select

    from bot.messaging.richmenu import deploy, link_menu
    from bot.storage.models import LineUser

    settings = tsunagu.settings
    try:
        deploy(settings.api_endpoint, settings.channel_access_token)
    except Exception:  # the simulator still works without menus
        logging.getLogger(__name__).exception("could not deploy rich menus to the double")
        return
    with tsunagu.db.transaction() as session:
        staff = session.scalars(
            select(LineUser).where(LineUser.role != "parent", LineUser.active.is_(True))
        )
        for user in staff:
            link_menu(session, user.line_user_id, user.role)


@cli.command()
def clock() -> None:
    """The clock alone (Procfile ``clock:``): scheduled jobs write to the outbox."""
    from bot import build
    from bot.scheduler.clock import Clock

    Clock(build(_settings()), blocking=True).start()


@cli.command()
def worker() -> None:
    """Event processing and delivery alone, for a deployment that runs them apart from web."""
    from bot import build

    tsunagu = build(_settings())
    tsunagu.runtime.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    finally:
        tsunagu.runtime.stop()


@cli.group()
def db() -> None:
    """The database: migrations and keys."""


@db.command()
def upgrade() -> None:
    """Create or migrate the database to the latest schema."""
    from bot.storage.migrate import upgrade as run_upgrade

    settings = _settings()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    run_upgrade(settings.database_url)
    click.echo("database is up to date")


@db.command("new-key")
def new_key() -> None:
    """Print a fresh key for BOT_DATA_KEY."""
    from bot.storage.crypto import new_key as make

    click.echo(make())


@db.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt stored data with the first key of BOT_DATA_KEY (after adding a new key)."""
    from bot.storage import crypto
    from bot.storage.db import Database

    settings = _settings()
    crypto.use_keys(settings.data_key)
    database = Database(settings.database_url)
    click.echo(f"re-encrypted {crypto.rotate_all(database.engine)} values")


@cli.group()
def richmenu() -> None:
    """Rich menus for parents, members and specialists."""


@richmenu.command("deploy")
def richmenu_deploy() -> None:
    """Create the menus on the channel (replacing ours) and make the parents' the default."""
    from bot.messaging.richmenu import deploy

    settings = _settings()
    for role, menu_id in deploy(settings.api_endpoint, settings.channel_access_token).items():
        click.echo(f"{role}: {menu_id}")


from bot.cases.cli import invite, members  # noqa: E402
from bot.knowledge.cli import kb  # noqa: E402
from bot.scheduler.cli import reminders  # noqa: E402

cli.add_command(kb)
cli.add_command(invite)
cli.add_command(members)
cli.add_command(reminders)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
