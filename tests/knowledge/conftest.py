"""Fixtures for the knowledge base: a migrated database (SQLite, and PostgreSQL when
TEST_POSTGRES_URL is set, each test in its own schema), the sample city and its index."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, event

from bot.city import City, load_city
from bot.knowledge.importers import read_file
from bot.knowledge.search import SearchIndex
from bot.storage.crypto import new_key, use_keys
from bot.storage.db import Database, normalise_url
from bot.storage.migrate import alembic_config, upgrade

PG_URL = os.environ.get("TEST_POSTGRES_URL", "")


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not PG_URL, reason="TEST_POSTGRES_URL is not set"),
        ),
    ]
)
def db(request, tmp_path: Path):
    """A migrated, empty database of each kind."""
    use_keys(new_key())
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kb.db'}"
        upgrade(url)
        database = Database(url)
        yield database
        database.dispose()
        return
    schema = f"kb_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(PG_URL))
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    database = Database(PG_URL)

    @event.listens_for(database.engine, "connect")
    def _search_path(dbapi_conn, _record):  # every pooled connection sees only this schema
        dbapi_conn.execute(f'SET search_path TO "{schema}"')
        dbapi_conn.commit()

    with database.engine.connect() as conn:
        cfg = alembic_config(PG_URL)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(scope="session")
def city() -> City:
    return load_city(Path(__file__).resolve().parents[2] / "bot" / "sample_city" / "city.yaml")


@pytest.fixture(scope="session")
def sample_entries(city: City):
    """The sample city's entries read straight from its files (no database needed)."""
    orgs, places, entries = {}, {}, []
    for path in [city.path, *city.knowledge_files]:
        parsed = read_file(path, city)
        assert not parsed.problems, parsed.problems
        orgs |= {o.key: o for o in parsed.organizations}
        places |= {p.key: p for p in parsed.places}
        entries += parsed.entries
    return [
        replace(e, place=places.get(e.place_key), organization=orgs.get(e.organization_key))
        for e in entries
    ]


@pytest.fixture(scope="session")
def sample_index(sample_entries, city) -> SearchIndex:
    return SearchIndex.build(sample_entries, city=city)
