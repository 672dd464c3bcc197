"""The operators' commands of this part: ``audit export`` and ``notice send`` (dry run and
send through the Messaging API double), against the live app's database."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from bot.__main__ import cli
from tests.admin.test_pages import PARENTS, SECRET, _case_history, _parents


@pytest.fixture
def run(desk, monkeypatch):
    settings = desk.tsunagu.settings
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_DATA_KEY", "BOT_CITY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(settings.instance_path))
    monkeypatch.setenv("PORT", str(settings.port))  # local mode: the double on the live app
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args))


def test_audit_export_writes_codes_and_ids_never_text(desk, run, tmp_path):
    case_id, specialist = _case_history(desk)
    result = run("audit", "export", "--since", "2027-01-01")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {(r["case"], r["action"]) for r in rows} == {
        (f"K-{case_id:04d}", "view_note"),
        (f"K-{case_id:04d}", "claimed"),
        (f"K-{case_id:04d}", "action"),
    }
    assert all(r["actor_id"] == str(specialist) for r in rows)
    assert SECRET not in result.output
    out = tmp_path / "audit.csv"
    assert run("audit", "export", "--since", "2026-11-01", "--out", str(out)).exit_code == 0
    assert "refused" in out.read_text(encoding="utf-8-sig")
    assert run("audit", "export", "--since", "soon").exit_code == 2


def test_notice_send_dry_run_then_send(desk, run):
    _parents(desk, PARENTS)
    dry = run("notice", "send", "--text", "おしらせ", "--stage", "age0", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "4 recipients" in dry.output and not desk.tsunagu.double.calls("multicast")
    sent = run("notice", "send", "--text", "おしらせ", "--area", "kita", "--language", "ja")
    assert sent.exit_code == 0, sent.output
    assert "3 of 3 sent" in sent.output
    (call,) = desk.tsunagu.double.calls("multicast")
    assert sorted(call["json"]["to"]) == [f"U{i:032x}" for i in (0, 1, 4)]
    assert call["json"]["messages"] == [{"type": "text", "text": "おしらせ"}]
    assert run("notice", "send", "--text", "x", "--area", "mars").exit_code == 2
    assert run("notice", "send", "--text", " ").exit_code == 1
