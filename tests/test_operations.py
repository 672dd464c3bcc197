"""P4: what docs/operations.md tells an operator to do works: a backup taken while the bot runs,
restored to a new file, holds the same rows, decryptable with the key (and only with it)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.__main__ import cli
from bot.cases.models import Invite
from bot.consultations.models import ConsultationRequest
from bot.storage import crypto
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.models import LineUser, OutboxMessage

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
PARENT = "U" + "b" * 32


def snapshot(db: Database) -> dict:
    """What an operator must get back: every family's words, decrypted, and the staff invites."""
    with db.reading() as session:
        return {
            "profiles": sorted(
                (u.line_user_id, sorted(u.profile.items()))
                for u in session.scalars(select(LineUser))
            ),
            "requests": sorted(
                (r.topic, r.detail, r.contact) for r in session.scalars(select(ConsultationRequest))
            ),
            "outbox": sorted(str(m.messages) for m in session.scalars(select(OutboxMessage))),
            "invites": sorted(i.code_hash for i in session.scalars(select(Invite))),
        }


@pytest.fixture
def running(bot, monkeypatch):
    """A bot with families' data in it, and the CLI pointed at its database."""
    settings = bot.tsunagu.settings
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(settings.instance_path))
    parent = bot.person(PARENT)
    parent.says("ヘルプ")
    with bot.tsunagu.db.transaction() as session:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == PARENT))
        user.profile = {"stage": "age1_2", "area": "kita"}
        session.add(
            ConsultationRequest(
                user_id=user.id, topic="sleep", detail="夜泣きがつらい", contact="000-1111-2222"
            )
        )
    return bot


def test_a_backup_restored_to_a_new_file_holds_the_same_decryptable_rows(running, tmp_path):
    if not running.tsunagu.db.is_sqlite:
        pytest.skip("db backup is for SQLite; PostgreSQL uses pg_dump")
    before = snapshot(running.tsunagu.db)
    backup = tmp_path / "backups" / "tsunagu-2026-12-01.db"
    backup.parent.mkdir()
    # Taken while the bot is up: the webhook stays open, and it goes on answering after.
    result = CliRunner().invoke(cli, ["db", "backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert "keep BOT_DATA_KEY apart" in result.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert list(backup.parent.iterdir()) == [backup], "one file: no -wal beside it to forget"
    raw = backup.read_bytes()
    assert "夜泣き".encode() not in raw and b"000-1111-2222" not in raw, "encrypted at rest"

    running.person(PARENT).says("言語")  # later changes are not in the backup …

    restored = tmp_path / "restored" / "tsunagu.db"
    restored.parent.mkdir()
    shutil.copyfile(backup, restored)  # the documented restore: copy, then db upgrade
    upgrade(f"sqlite:///{restored}")
    db = Database(f"sqlite:///{restored}")
    try:
        assert snapshot(db) == before  # … and everything before them is
        crypto.use_keys(Fernet.generate_key().decode())  # another key reads nothing
        with pytest.raises(RuntimeError, match="cannot be decrypted"):
            snapshot(db)
    finally:
        crypto.use_keys(running.tsunagu.settings.data_key)
        db.dispose()


def test_a_backup_never_overwrites_a_file(running, tmp_path):
    if not running.tsunagu.db.is_sqlite:
        pytest.skip("db backup is for SQLite")
    taken = tmp_path / "old.db"
    taken.write_text("an older backup")
    result = CliRunner().invoke(cli, ["db", "backup", str(taken)])
    assert result.exit_code == 1 and "never overwrites" in result.output
    assert taken.read_text() == "an older backup"


def test_backup_of_postgresql_points_to_pg_dump(running, tmp_path):
    if running.tsunagu.db.is_sqlite:
        pytest.skip("PostgreSQL only")
    result = CliRunner().invoke(cli, ["db", "backup", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "pg_dump" in result.output
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    "section",
    [
        "## Backup and restore",
        "## Rotating the data key",
        "## If you suspect a leak",
        "## Retention",
        "## Webhook redelivery",
    ],
)
def test_the_operations_guide_has_each_section(section):
    assert section in OPERATIONS


def test_every_command_the_guide_names_exists():
    import re

    from tests.test_cli import all_commands

    named = set(re.findall(r"python -m bot ((?:[a-z-]+ ?){1,2})", OPERATIONS))
    known = set(all_commands(cli)) | {c.split()[0] for c in all_commands(cli)}
    assert named and {n.strip() for n in named} <= known
