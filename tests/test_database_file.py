"""A new SQLite database file (and its WAL and shared-memory files) is for its owner only."""

import os
import stat

from sqlalchemy import text

from bot.storage.db import make_engine


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_file_is_born_0600_with_its_wal(tmp_path):
    old = os.umask(0o022)  # the usual umask would give 0644
    try:
        path = tmp_path / "bot.db"
        engine = make_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
            assert _mode(path) == 0o600
            assert _mode(f"{path}-wal") == 0o600
        engine.dispose()
    finally:
        os.umask(old)


def test_an_existing_file_keeps_the_mode_its_operator_chose(tmp_path):
    path = tmp_path / "bot.db"
    path.touch(mode=0o640)
    os.chmod(path, 0o640)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()
    assert _mode(path) == 0o640
