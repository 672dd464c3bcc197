"""The `kb` commands through click's runner, and migration 0002 up and down."""

from __future__ import annotations

import json

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from bot.cli.kb import kb
from bot.storage.migrate import alembic_config, upgrade

KB_TABLES = {"kb_organizations", "kb_places", "kb_entries", "kb_schedules"}


@pytest.fixture
def runner(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_CITY", "BOT_DATA_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(tmp_path / "instance"))
    return CliRunner()


def test_import_sample_is_idempotent_then_search_json(runner):
    first = runner.invoke(kb, ["import", "--sample"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(kb, ["import", "--sample"])
    assert again.exit_code == 0 and " 0 created, 0 updated" in again.output
    result = runner.invoke(
        kb,
        [
            "search",
            "--json",
            "--limit",
            "2",
            "--today",
            "2026-11-27",
            "ぼしてちょう",
            "土曜 ひろば",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["query"] for line in lines] == ["ぼしてちょう", "土曜 ひろば"]
    top = lines[0]["results"][0]
    assert top["id"] == "boshi-techo" and top["name"].startswith("母子健康手帳")
    assert {"score", "when", "map_url", "phone", "booking"} <= top.keys()
    assert len(lines[1]["results"]) == 2 and lines[1]["facets"]["weekdays"] == ["土"]


def test_search_text_output(runner):
    runner.invoke(kb, ["import", "--sample"])
    result = runner.invoke(kb, ["search", "こけこっこ"])
    assert result.exit_code == 0 and "kokekokko" in result.output


def test_bad_import_exits_non_zero_and_lists_problems(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,住所,開始時間\nひろば,本町,25時\n", encoding="cp932")
    result = runner.invoke(kb, ["import", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv: line 2, column 3 「開始時間」: expected a time" in result.output


def test_import_needs_a_file(runner):
    assert runner.invoke(kb, ["import"]).exit_code == 2


def test_export_prints_yaml(runner):
    runner.invoke(kb, ["import", "--sample"])
    result = runner.invoke(kb, ["export"])
    assert (
        result.exit_code == 0 and "entries:" in result.output and "key: kokekokko" in result.output
    )


def test_migration_up_and_down(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = create_engine(url)
    assert KB_TABLES <= set(inspect(engine).get_table_names())
    command.downgrade(alembic_config(url), "0001")
    assert not KB_TABLES & set(inspect(engine).get_table_names())
    upgrade(url)
    assert KB_TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()
