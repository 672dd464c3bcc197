"""Fixtures: a live app on a real port (webhook + Messaging API double), on SQLite and PostgreSQL.

PostgreSQL runs when TEST_POSTGRES_URL is set (``.ci/run`` sets it); each test gets a schema of
its own there, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from bot import create_app
from bot.config import load_settings
from bot.storage.migrate import upgrade
from tests.transcript import Bot

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
# The bot runs in local mode only when asked, as `make run` asks; the tests ask too. And tests
# speak far faster than people: the flood limit has tests of its own (test_abuse.py).
LOCAL_MODE = {"BOT_LOCAL_MODE": "1", "BOT_FLOOD_LIMIT": "none"}


@pytest.fixture(autouse=True)
def local_mode_environment(monkeypatch):
    """CLI commands and subprocesses read the environment: local mode there too, unless a test
    sets LINE credentials (and takes BOT_LOCAL_MODE away) itself."""
    for name, value in LOCAL_MODE.items():
        monkeypatch.setenv(name, value)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_DESTINATION"):
        monkeypatch.delenv(name, raising=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def database(kind: str, folder) -> Iterator[str]:
    """A fresh database's URL: an SQLite file in ``folder``, or a PostgreSQL schema of its own."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bot.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'bot.db'}"


class LiveServer:
    """A real HTTP server in a thread: the SDK, the simulator and tests talk to it over TCP."""

    def __init__(self, app, port: int):
        self.app = app
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def make_live_app(tmp_path, database_url: str, **env):
    port = free_port()
    settings = load_settings(
        {
            "BOT_INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": database_url,
            "PORT": str(port),
            **LOCAL_MODE,
            **env,
        }
    )
    upgrade(settings.database_url)
    app = create_app(settings)
    return app, LiveServer(app, port)


@pytest.fixture
def live(tmp_path, database_url):
    app, server = make_live_app(tmp_path, database_url)
    yield server
    app.extensions["tsunagu"].runtime.stop()
    server.stop()
    app.extensions["tsunagu"].db.dispose()


@pytest.fixture
def bot(live) -> Bot:
    return Bot(live)
