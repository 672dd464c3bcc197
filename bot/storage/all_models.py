"""Imports every module that defines tables, so Base.metadata knows them all (Alembic, tests)."""

from bot.storage import models  # noqa: F401
