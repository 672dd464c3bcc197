"""Engines and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL from DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Heroku-style ``postgres://`` URLs name no driver; we use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        # The webhook must answer in well under 2 s: wait for the write lock at most 1.5 s.
        engine = create_engine(url, connect_args={"timeout": 1.5, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no branch - one shape
            # Python's sqlite3 opens transactions lazily; we issue BEGIN ourselves (below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=1500")
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


class Database:
    """One engine and its session factory, shared by the web, the processor and the clock."""

    def __init__(self, url: str):
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error."""
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

    def dispose(self) -> None:
        self.engine.dispose()
