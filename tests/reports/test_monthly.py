"""The monthly report against a seeded January 2027: each table's figures, the <5 rule, the
CSV files and the charts (real PNGs of the right size)."""

from __future__ import annotations

import csv
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.i18n import Translator
from bot.reports.monthly import build_report, write_report
from bot.reports.period import MASK, Month, mask
from tests.reports.conftest import SECRET, seed_january

JANUARY = Month(2027, 1)


@pytest.fixture
def report(db, city):
    seed_january(db)
    with db.reading() as session:
        return build_report(session, JANUARY, city, language="en")


def rows(report, name):
    return report.table(name).rows


def test_notes_by_source_name_the_organisation_kind_and_mask_small_counts(report):
    assert rows(report, "notes_by_source") == [
        ["こけこっこ", "Network member", MASK],  # 6, hidden so the 2 cannot be worked out
        ["はぐＨＵＧ", "Network member", 8],
        ["保健センター（利用者支援事業 母子保健型）", "Network member", MASK],  # 2
    ]


def test_notes_by_area_count_each_area_of_the_city_within_the_month(report):
    assert rows(report, "notes_by_area") == [
        ["kita", "北地区", 9],
        ["minami", "南地区", MASK],
        ["higashi", "東地区", MASK],  # 5: the complement of minami's 2
        ["nishi", "西地区", 0],
        ["chuo", "中央地区", 0],
    ]


def test_consultations_by_topic(report):
    table = {r[0]: r[2] for r in rows(report, "consultations_by_topic")}
    assert table == {
        "childcare": MASK,
        "worries": MASK,
        "development": 7,
        "pregnancy": 0,
        "money": 0,
        "other": 0,
    }


def test_cases_opened_and_closed_with_outcomes(report):
    assert [(r[0], r[1], r[3]) for r in rows(report, "cases_opened_closed")] == [
        ("Opened", "", 16),
        ("Closed", "connected", MASK),
        ("Closed", "declined", MASK),
        ("Closed", "moved", 0),
        ("Closed", "protection", 0),
        ("Closed", "watching", 0),
        ("Closed", "other", 0),
    ]


def test_time_to_first_contact_median_and_90th_percentile(report):
    assert rows(report, "time_to_first_contact") == [
        ["All cases", 10, 5.5, 9.0],
        ["Normal", 8, 4.5, 8.0],
        ["Soon", 0, "", ""],
        ["Urgent", MASK, "", ""],  # two cases: no times that could name them
    ]


def test_referrals_by_answer(report):
    assert [(r[0], r[2]) for r in rows(report, "referrals_by_answer")] == [
        ("requested", MASK),
        ("accepted", 5),
        ("started", MASK),
        ("declined", 0),
    ]


def test_reminders_by_kind_leave_out_the_morning_keys(report):
    table = {r[0]: r[2] for r in rows(report, "reminders_by_kind")}
    assert table["followup"] == 12 and table["unclaimed"] == MASK and table["stale"] == MASK
    assert "morning" not in table and table["urgent_unclaimed"] == 0


def test_friends_by_language_at_the_months_end(report):
    assert rows(report, "friends_by_language") == [
        ["ja", "Japanese", 23, MASK],
        ["en", "English", 6, MASK],
        ["pt_BR", "Portuguese (Brazil)", 0, 0],
        ["vi", "Vietnamese", 0, 0],
        ["zh_Hans", "Chinese (Simplified)", 0, 0],
    ]


def test_dead_letters_by_lines_answer(report):
    assert rows(report, "dead_letters") == [["HTTP 400", MASK], ["HTTP 403", MASK], ["Other", 7]]


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([0, 5, 12], [0, 5, 12]),
        ([1, 2, 3, 4], [MASK] * 4),
        ([4, 9, 6], [MASK, 9, MASK]),  # one small count: the next smallest is hidden too
        ([4], [MASK]),
        ([3, 2, 8], [MASK, MASK, 8]),  # two small counts already hide each other
        ([5], [5]),
    ],
)
def test_counts_under_five_are_masked(counts, shown):
    assert mask(counts) == shown


def test_no_table_shows_a_count_from_1_to_4(report):
    for table in report.tables:
        for row in table.rows:
            for cell in row:
                assert not (isinstance(cell, int) and 0 < cell < 5), (table.name, row)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_files_csv_per_table_and_png_charts_of_the_right_size(report, tmp_path):
    written = write_report(report, tmp_path)
    names = {p.name for p in written}
    for table in report.tables:
        assert f"{table.name}.csv" in names and f"{table.name}.png" in names
    with (tmp_path / "notes_by_area.csv").open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["Area code", "Area", "Notes"]
    assert lines[2] == ["minami", "南地区", "<5"]
    for png in tmp_path.glob("*.png"):
        assert png_size(png) == (800, 450)
    from matplotlib.image import imread

    pixels = imread(tmp_path / "notes_by_area.png")
    assert pixels.shape[:2] == (450, 800)
    assert pixels.std() > 0.05  # something is drawn, not a blank canvas
    for path in written:
        assert SECRET.encode() not in path.read_bytes()


def test_the_cli_writes_the_report(db, database_url, data_key, tmp_path, monkeypatch):
    from bot.__main__ import cli

    seed_january(db)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("BOT_DATA_KEY", data_key)
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "monthly", "--month", "2027-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    header = (out / "cases_opened_closed.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",")[0] == Translator("ja").gettext("Cases") != "Cases"  # Japanese
    bad = CliRunner().invoke(cli, ["report", "monthly", "--month", "2027-13", "--out", str(out)])
    assert bad.exit_code == 2 and "2027-01" in bad.output


def test_danger_answers_by_tier(report):
    assert [(r[0], r[2]) for r in rows(report, "danger_answers_by_tier")] == [
        ("emergency", 0),
        ("crisis", MASK),  # 6, hidden too so the 2 cannot be worked out
        ("concern", MASK),  # 2: under five, hidden
    ]
