"""Running Alembic from code: ``python -m bot db upgrade`` and the test fixtures."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.storage.db import make_engine, normalise_url

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
    if normalise_url(url).startswith("sqlite"):
        # WAL is a property of the file: set it here, while nothing else writes, so that no
        # connection ever has to switch it under load.
        engine = make_engine(url)
        with engine.connect():
            pass
        engine.dispose()
