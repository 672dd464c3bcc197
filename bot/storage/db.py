"""Engines and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL from DATABASE_URL."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage import crypto


def normalise_url(url: str) -> str:
    """Heroku-style ``postgres://`` URLs name no driver; we use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        _create_private(url)
        # The webhook must answer in well under 2 s: wait for the write lock at most 1.5 s.
        engine = create_engine(url, connect_args={"timeout": 1.5, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no branch - one shape
            # Python's sqlite3 opens transactions lazily; we issue BEGIN ourselves (below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=1500")
            # Switching to WAL needs the database to itself; it is a property of the file, so
            # only the first connection ever does it (a later one would fail while anyone
            # writes: "database is locked", at once).
            if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # Take the write lock at BEGIN: a deferred transaction that reads and then writes
            # fails at once under WAL when another writer got in between (SQLITE_BUSY_SNAPSHOT),
            # and holding the lock from the start is what makes a per-user read-then-write safe.
            conn.exec_driver_sql("BEGIN" if conn.info.get("readonly") else "BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)

    @event.listens_for(engine, "connect")
    def _pg_timeouts(dbapi_conn, _record):
        # Bound every statement and lock wait so the webhook can always answer in time.
        with dbapi_conn.cursor() as cur:
            cur.execute("SET statement_timeout = 5000")
            cur.execute("SET lock_timeout = 1500")
        dbapi_conn.commit()

    return engine


def _create_private(url: str) -> None:
    """Create a new SQLite file readable by its owner only: it holds families' records.

    SQLite gives its -wal and -shm files the main file's mode, so setting it at birth covers all
    three. An existing file keeps the mode its operator chose.
    """
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


class GateTimeout(OperationalError):
    """The SQLite write gate could not be had in time (another writer held it too long)."""

    def __init__(self) -> None:
        super().__init__("waiting for the SQLite write gate", None, TimeoutError())


class WriteGate:
    """Queues SQLite writers fairly and wakes the next one the moment the lock frees.

    SQLite's own busy handler sleeps in growing steps (up to 100 ms) and is not woken when the
    lock frees, so under load writers miss the gaps and the webhook's store waits far too long.
    Writers of this process queue on a lock; the processes of one machine take turns by a file
    lock next to the database. Both give up after the same 1.5 s the busy timeout allows.
    """

    TIMEOUT = 1.5
    SPIN = 0.0005  # seconds between tries for another process's file lock

    def __init__(self, database: str | None):
        self._local = threading.Lock()
        self._path = f"{database}.write-lock" if database and database != ":memory:" else None
        self._fh = None
        self._pid = 0

    def _file(self):
        # Opened per process (never inherited across a fork: flock would then be shared).
        if self._fh is None or self._pid != os.getpid():
            self._fh, self._pid = open(self._path, "a"), os.getpid()  # noqa: SIM115
        return self._fh

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    @contextmanager
    def held(self) -> Iterator[None]:
        deadline = time.monotonic() + self.TIMEOUT
        if not self._local.acquire(timeout=self.TIMEOUT):
            raise GateTimeout()
        try:
            if self._path is None:
                yield
                return
            fh = self._file()
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise GateTimeout() from None
                    time.sleep(self.SPIN)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        finally:
            self._local.release()


class Database:
    """One engine and its session factory, shared by the web, the processor and the clock."""

    def __init__(self, url: str):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.gate = WriteGate(self.engine.url.database) if self.is_sqlite else None
        # Connections held outside the pool's checkouts (the webhook writer's own, bot.ingest):
        # closed on dispose, which closes only the connections the pool holds.
        self._held: list[Callable[[], None]] = []

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
        with self.gate.held() if self.gate else nullcontext():
            session = self.sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only unit of work. On SQLite it takes no write lock, so it may run while
        another transaction — even the caller's own — holds it (WAL lets readers through)."""
        with self.engine.connect() as conn:
            conn.info["readonly"] = True  # read by the BEGIN hook; the pool reuses conn.info
            session = Session(bind=conn)
            try:
                yield session
            finally:
                session.close()
                conn.rollback()
                conn.info.pop("readonly", None)

    def on_dispose(self, close: Callable[[], None]) -> None:
        """``close`` gives back a connection its owner keeps checked out for good."""
        self._held.append(close)

    def dispose(self) -> None:
        for close in self._held:
            close()
        self.engine.dispose()
        if self.gate:
            self.gate.close()


def open_database(url: str, data_key: str) -> Database:
    """The database, with the process's data key set for its encrypted columns: the one place
    the keyring is set (the app factory and the CLI context both come here)."""
    crypto.use_keys(data_key)
    return Database(url)
