"""The processes and the set-up: ``serve`` (web + events + clock), ``worker``, ``db …`` (schema
and keys), ``richmenu deploy``."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

import click

from bot.cli.context import AppContext, pass_app

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: $PORT or 8000.")
@click.option("--no-clock", is_flag=True, help="Do not run the clock in this process.")
@pass_app
def serve(app: AppContext, host: str, port: int | None, no_clock: bool) -> None:
    """Web, event processing and (unless --no-clock) the clock, in one process."""
    if port is not None:
        os.environ["PORT"] = str(port)  # before the settings are read: they derive from it
    settings = app.settings
    from bot.loopback import is_loopback

    if settings.local_mode and not is_loopback(host):
        raise click.ClickException(
            f"local mode is served on loopback only (127.0.0.1, ::1, localhost), not {host}: "
            "the simulator acts as anyone. For the LINE channel set LINE_CHANNEL_SECRET and "
            "LINE_CHANNEL_ACCESS_TOKEN and unset BOT_LOCAL_MODE."
        )
    from werkzeug.serving import make_server

    from bot.app import create_app

    web_app = create_app(settings)
    tsunagu = web_app.extensions["tsunagu"]
    server = make_server(host, settings.port, web_app, threaded=True)  # listening from here on
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

    from bot.i18n import DEFAULT_LANGUAGE
    from bot.messaging.richmenu import deploy, link_menu
    from bot.storage.models import LineUser

    settings = tsunagu.settings
    try:
        deploy(settings.api_endpoint, settings.channel_access_token)
    except Exception:  # the simulator still works without menus
        log.exception("could not deploy rich menus to the double")
        return
    with tsunagu.db.transaction() as session:
        # staff by role; parents who chose a language other than Japanese, their language's
        linked = session.scalars(
            select(LineUser).where(
                LineUser.active.is_(True),
                (LineUser.role != "parent") | (LineUser.language != DEFAULT_LANGUAGE),
            )
        )
        for user in linked:
            link_menu(session, user.line_user_id, user.role, user.language)


@click.command()
@pass_app
def worker(app: AppContext) -> None:
    """Event processing and delivery alone, for a deployment that runs them apart from web."""
    tsunagu = app.app()
    tsunagu.runtime.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    finally:
        tsunagu.runtime.stop()


@click.group()
def db() -> None:
    """The database: migrations and keys."""


@db.command()
@pass_app
def upgrade(app: AppContext) -> None:
    """Create or migrate the database to the latest schema."""
    from bot.storage.migrate import upgrade as run_upgrade

    app.settings.instance_path.mkdir(parents=True, exist_ok=True)
    run_upgrade(app.settings.database_url)
    click.echo("database is up to date")


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def backup(app: AppContext, path: Path) -> None:
    """SQLite: a consistent copy of the database at PATH, taken while the bot runs."""
    from bot.storage.backup import BackupError, backup_sqlite

    try:
        size = backup_sqlite(app.settings.database_url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up to {path} ({size} bytes); keep BOT_DATA_KEY apart from it")


@db.command("new-key")
def new_key() -> None:
    """Print a fresh key for BOT_DATA_KEY."""
    from bot.storage.crypto import new_key as make

    click.echo(make())


@db.command("rotate-key")
@pass_app
def rotate_key(app: AppContext) -> None:
    """Re-encrypt stored data with the first key of BOT_DATA_KEY (after adding a new key)."""
    from bot.models import metadata
    from bot.storage import crypto

    changed = crypto.rotate_all(app.database.engine, metadata)
    click.echo(f"re-encrypted {changed} values")


@click.group()
def richmenu() -> None:
    """Rich menus for parents, members and specialists."""


@richmenu.command("deploy")
@pass_app
def richmenu_deploy(app: AppContext) -> None:
    """Create the menus on the channel (replacing ours) and make the parents' the default."""
    from bot.messaging.richmenu import deploy

    settings = app.settings
    for role, menu_id in deploy(settings.api_endpoint, settings.channel_access_token).items():
        click.echo(f"{role}: {menu_id}")


@richmenu.command("render")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None)
def richmenu_render(out: Path | None) -> None:
    """Draw the parents' menu image in each language but Japanese (committed under
    bot/messaging/assets; needs Noto Sans CJK and DejaVu Sans, e.g. Debian's fonts-noto-cjk)."""
    from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES
    from bot.messaging.menu_images import DRAWN, drawn_labels, render
    from bot.messaging.richmenu import ASSETS, MENUS, PARENT_LABELS, parent_menu

    drawn = {}
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        menu = MENUS[parent_menu(language).role]
        path = render(language, PARENT_LABELS, (out or ASSETS) / menu.image.name)
        drawn[menu.image.name] = drawn_labels(language, PARENT_LABELS)
        click.echo(f"{language}: {path}")
    # what each image shows, so a test can tell when an image is older than its labels
    (out or ASSETS).joinpath(DRAWN).write_text(
        json.dumps(drawn, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
