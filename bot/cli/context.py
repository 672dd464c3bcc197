"""What every operator command needs, made once per command and only when it is asked for:
the settings, the city, the database (with the data key set), the whole app for the clock and
the workers — and the time, in Tokyo.

A bad setting or a broken city file gives the same clear message (and exit code 1) from every
command, never a traceback.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from functools import cached_property

import click

from bot.calendar import local_day
from bot.city import City, CityFileError, load_city
from bot.config import ConfigError, Settings, load_settings
from bot.storage.db import Database, open_database


class AppContext:
    def __init__(self) -> None:
        self._opened: list = []

    @cached_property
    def settings(self) -> Settings:
        try:
            return load_settings()
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None

    @cached_property
    def city(self) -> City:
        try:
            return load_city(self.settings.city_file)
        except CityFileError as exc:
            raise click.ClickException(str(exc)) from None

    @cached_property
    def database(self) -> Database:
        database = open_database(self.settings.database_url, self.settings.data_key)
        self._opened.append(database)
        return database

    def app(self):
        """The whole app but the web layer (``bot.app.build``), for the clock and workers."""
        from bot.app import build

        tsunagu = build(self.settings, self.city)
        self._opened.append(tsunagu.db)
        return tsunagu

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        """Today in Tokyo, whatever the machine's time zone."""
        return local_day(self.now())

    def close(self) -> None:
        for database in self._opened:
            database.dispose()
        self._opened.clear()


def pass_app(command):
    """Give a command the AppContext (made on first use, closed when the command ends)."""

    @click.pass_context
    @functools.wraps(command)
    def run(ctx: click.Context, *args, **kwargs):
        app = ctx.find_object(AppContext)
        if app is None:
            app = ctx.ensure_object(AppContext)
            ctx.call_on_close(app.close)
        return command(app, *args, **kwargs)

    return run
