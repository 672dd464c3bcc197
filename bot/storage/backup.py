"""A consistent copy of an SQLite database, taken while the bot runs (``db backup PATH``).

SQLite's online backup API copies every page under one read lock, so the copy is a snapshot
even while the webhook and the workers write. The copy is made readable by its owner only from
the start (it holds ids and the encrypted words of families), and it never holds the data key:
the key (``BOT_DATA_KEY``) is kept, and backed up, apart. PostgreSQL has its own tools
(``pg_dump``); see docs/operations.md.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.db import normalise_url


class BackupError(Exception):
    """The backup cannot be made as asked; the message says why and what to do."""


def backup_sqlite(database_url: str, dest: Path) -> int:
    """Copy the database at ``database_url`` to ``dest`` (a new file); return its size."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "db backup copies SQLite databases; for PostgreSQL use pg_dump (see docs/operations.md)"
        )
    source = Path(url.database or "")
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{dest} exists: a backup never overwrites a file") from None
    except OSError as exc:
        raise BackupError(f"cannot create {dest}: {exc.strerror}") from None
    os.close(fd)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        with dst:
            src.backup(dst)
        # A standalone file: no write-ahead log beside it to be forgotten when it is copied.
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error:
        dst.close()
        dest.unlink(missing_ok=True)
        raise
    finally:
        src.close()
        dst.close()
    return dest.stat().st_size
