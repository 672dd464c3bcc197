"""The operator CLI: every command is documented, config errors are clear, keys rotate."""

import re
from pathlib import Path

from click.testing import CliRunner
from cryptography.fernet import Fernet

from bot.__main__ import cli
from bot.config import ConfigError, load_settings
from bot.storage import crypto
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.models import LineUser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def all_commands(group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        if hasattr(command, "commands"):
            yield from all_commands(command, path)
        else:
            yield " ".join(path)


def test_every_cli_command_is_in_the_readme():
    missing = [c for c in all_commands(cli) if f"python -m bot {c}" not in README]
    assert missing == []


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in cli.commands:
        assert name in result.output


def test_every_environment_variable_is_documented():
    source = "".join(p.read_text() for p in Path("bot").rglob("*.py"))
    names = set(re.findall(r'"((?:LINE|BOT|DATABASE|PORT|WEB)_?[A-Z_]*)"', source)) - {"PORT"}
    assert names, "found no settings"
    assert sorted(n for n in names if f"`{n}`" not in README) == []


def test_config_errors_name_each_problem_and_never_print_secrets(tmp_path):
    env = {
        "BOT_INSTANCE_PATH": str(tmp_path),
        "LINE_CHANNEL_SECRET": "abc",
        "PORT": "eighty",
        "BOT_QUIET_HOURS": "8pm-8am",
        "BOT_DATA_KEY": "short",
    }
    try:
        load_settings(env)
    except ConfigError as exc:
        message = str(exc)
    else:
        raise AssertionError("bad settings were accepted")
    for name in (
        "LINE_CHANNEL_ACCESS_TOKEN",
        "LINE_CHANNEL_SECRET",
        "PORT",
        "BOT_QUIET_HOURS",
        "BOT_DATA_KEY",
    ):
        assert name in message
    assert "short" not in message


def test_settings_repr_hides_secrets(tmp_path):
    secret = "0123456789abcdef0123456789abcdef"
    settings = load_settings(
        {
            "BOT_INSTANCE_PATH": str(tmp_path),
            "LINE_CHANNEL_SECRET": secret,
            "LINE_CHANNEL_ACCESS_TOKEN": "tok-en",
            "BOT_DATA_KEY": Fernet.generate_key().decode(),
        }
    )
    assert secret not in repr(settings) and "tok-en" not in str(settings)
    assert not settings.local_mode and settings.api_endpoint == "https://api.line.me"


def test_quiet_hours_span_midnight(tmp_path):
    from datetime import time

    local = {"BOT_INSTANCE_PATH": str(tmp_path), "BOT_LOCAL_MODE": "1"}
    quiet = load_settings(local).quiet_hours
    assert quiet.contains(time(23, 0)) and quiet.contains(time(7, 59))
    assert not quiet.contains(time(8, 0)) and not quiet.contains(time(12, 0))
    assert load_settings({**local, "BOT_QUIET_HOURS": "none"}).quiet_hours is None


def test_db_upgrade_and_key_rotation(tmp_path, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BOT_DATA_KEY", old)
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    crypto.use_keys(old)
    db = Database(url)
    with db.transaction() as session:
        session.add(LineUser(line_user_id="U1", profile={"stage": "age0", "area": "kita"}))

    monkeypatch.setenv("BOT_DATA_KEY", f"{new},{old}")
    result = runner.invoke(cli, ["db", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted 1 values" in result.output
    crypto.use_keys(new)  # the old key is gone: the data still reads
    with db.transaction() as session:
        assert session.query(LineUser).one().profile == {"stage": "age0", "area": "kita"}
    db.dispose()


def test_migrations_run_twice_without_change(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    upgrade(url)
