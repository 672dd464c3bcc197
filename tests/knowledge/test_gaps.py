"""Questions the bot could not answer: masked, kept without who asked, grouped, exported, purged."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, select

from bot.cli.kb import kb
from bot.knowledge import gaps
from bot.knowledge.models import KbGap
from bot.scheduler.retention import GAPS_KEPT, purge_gaps
from bot.storage.crypto import new_key, use_keys
from bot.storage.db import Database
from bot.storage.migrate import upgrade

DAY = date(2026, 11, 27)


def _record(db, *args) -> bool:
    with db.transaction() as session:
        return gaps.record(session, *args)


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("電話は090-1234-5678です、保育園の空き", "電話は〔電話番号〕です、保育園の空き"),
        ("田中さんに聞いた支援センター", "〔名前〕さんに聞いた支援センター"),
        ("ゆうとくんが熱", "〔名前〕くんが熱"),
        ("北町2-1-1の近くのひろば", "北町〔番号〕の近くのひろば"),
        ("a.b@example.com に送って", "〔メール〕 に送って"),
        ("山田花子です。夜泣きがひどい", "〔名前〕です。夜泣きがひどい"),
        ("お母さんと赤ちゃんと歯医者さん", "お母さんと赤ちゃんと歯医者さん"),
        ("1歳半健診の日", "1歳半健診の日"),
    ],
)
def test_what_could_identify_a_family_is_masked(asked, kept):
    assert gaps.mask(asked) == kept


def test_a_gap_holds_only_what_was_asked(db):
    columns = {c["name"] for c in inspect(db.engine).get_columns("kb_gaps")}
    assert columns == {"id", "asked_on", "kind", "question", "needs", "closest"}
    assert _record(db, "夜泣きがひどい 090-1111-2222", gaps.CLOSEST, DAY, ["night_crying"], "x")
    with db.reading() as session:
        row = session.scalars(select(KbGap)).one()
        assert (row.question, row.kind, row.needs) == (
            "夜泣きがひどい 〔電話番号〕",
            "closest",
            ["night_crying"],
        )
        stored = session.connection().exec_driver_sql("SELECT question FROM kb_gaps").scalar()
    assert "夜泣き" not in stored  # encrypted at rest


def test_long_stories_and_danger_are_not_kept(db):
    assert not _record(db, "保育園" * 80, gaps.NOTHING, DAY)
    assert not _record(db, "もう死にたい", gaps.NOTHING, DAY)
    assert not _record(db, "   ", gaps.NOTHING, DAY)
    with db.reading() as session:
        assert session.scalars(select(KbGap)).all() == []


def test_questions_are_grouped_by_gist_most_asked_first(db):
    for q, day in [
        ("夜泣きがひどい", DAY),
        ("よなきがひどいです", DAY + timedelta(days=1)),
        ("夜泣き ひどい", DAY + timedelta(days=2)),
        ("粗大ごみの出し方", DAY),
        ("夜泣きがひどい", DAY - timedelta(days=30)),  # before --since
    ]:
        _record(db, q, gaps.CLOSEST, day)
    found = gaps.groups(db, DAY)
    assert [len(g.questions) for g in found] == [3, 1]
    assert found[0].days[0] == DAY and max(found[0].days) == DAY + timedelta(days=2)
    assert "ごみ" in found[1].questions[0]


def test_old_gaps_are_purged_by_retention(db):
    now = datetime(2026, 11, 27, 3, tzinfo=UTC)
    _record(db, "古い質問の保育園", gaps.NOTHING, (now - GAPS_KEPT - timedelta(days=1)).date())
    _record(db, "新しい質問の保育園", gaps.NOTHING, now.date())
    assert purge_gaps(db, now) == 1
    assert purge_gaps(db, now) == 0
    with db.reading() as session:
        assert [g.question for g in session.scalars(select(KbGap))] == ["新しい質問の保育園"]


def test_kb_gaps_exports_grouped_csv_without_user_ids(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'gaps.db'}"
    upgrade(url)
    key = new_key()
    use_keys(key)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_CITY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_DATA_KEY", key)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(tmp_path / "instance"))
    db = Database(url)
    for q in [
        "ペットと入れるカフェ",
        "ペットと入れるカフェ",
        "ペットと入れるかふぇ",
        "土曜の夜の託児",
    ]:
        _record(db, q, gaps.UNRELATED, DAY)
    db.dispose()
    out = tmp_path / "gaps.csv"
    result = CliRunner().invoke(kb, ["gaps", "--since", "2026-11-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 groups of 4 questions" in result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == gaps.COLUMNS
    assert rows[1][0] == "3" and rows[1][5] == "ペットと入れるカフェ"
    assert rows[1][6] == "ペットと入れるかふぇ"
    assert rows[2][0] == "1"
    empty = CliRunner().invoke(kb, ["gaps", "--since", "2026-12-01"])
    assert empty.exit_code == 0 and empty.stdout.splitlines() == [",".join(gaps.COLUMNS)]
    bad = CliRunner().invoke(kb, ["gaps", "--since", "yesterday"])
    assert bad.exit_code == 2 and "--since" in bad.output  # a usage error, nothing written
