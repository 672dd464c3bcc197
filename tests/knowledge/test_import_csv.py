"""Open-data CSV import: both header generations, their spellings, three encodings, and every
kind of bad file — each problem names file, line and column, and nothing changes."""

from __future__ import annotations

import csv
import io

import pytest

from bot.knowledge.importers import import_paths
from bot.knowledge.importers.opendata_layout import header_key
from bot.knowledge.store import load_entries
from tests.knowledge.helpers import table_counts

# 推奨データセット (older) and 自治体標準データセット (newer) headers, and spelling variants.
FACILITY_OLD = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "名称",
    "名称_カナ",
    "種別",
    "住所",
    "方書",
    "緯度",
    "経度",
    "電話番号",
    "受入年齢",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "一時預かりの有無",
    "URL",
    "備考",
]
FACILITY_NEW = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "名称_英字",
    "種別",
    "所在地_連結表記",
    "建物名等",
    "緯度",
    "経度",
    "電話番号",
    "内線番号",
    "受入年齢",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "一時預かりの有無",
    "URL",
    "備考",
]
FACILITY_VARIANT = [
    "ＩＤ",
    " 名称 ",
    "名称（カナ）",
    "種 別",
    "住　所",
    "緯度",
    "経度",
    "電話番号",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "ＵＲＬ",
]
EVENT_NEW = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英字",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "主催者",
    "場所名称",
    "所在地_連結表記",
    "緯度",
    "経度",
    "定員",
    "参加申込終了日",
    "参加申込方法",
    "URL",
    "備考",
]
EVENT_BRIEF = [
    "イベント名",
    "イベント名_カナ",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "場所名称",
    "場所住所",
    "対象者",
    "参加費",
    "申込方法",
    "連絡先名称",
    "連絡先電話番号",
]


def facility_row(header: list[str], **over) -> list[str]:
    values = {
        "名称": "さくら保育園",
        "名称カナ": "サクラホイクエン",
        "種別": "認可私立保育所",
        "住所": "つなぐ市桜台1-2-3",
        "所在地連結表記": "つなぐ市桜台1-2-3",
        "緯度": "35.26",
        "経度": "137.11",
        "電話番号": "000-222-9999",
        "受入年齢": "生後57日～5歳",
        "利用可能曜日": "月～土",
        "開始時間": "7:00",
        "終了時間": "19:00",
        "一時預かりの有無": "有",
        "url": "https://example.jp/sakura",
        "id": "S-1",
        "no": "1",
    } | {header_key(k): v for k, v in over.items()}
    return [values.get(header_key(h), "") for h in header]


def event_row(header: list[str], **over) -> list[str]:
    values = {
        "イベント名": "親子リズム遊び",
        "イベント名カナ": "オヤコリズムアソビ",
        "開始日": "2026/12/3",
        "終了日": "2026/12/3",
        "開始時間": "10:30",
        "終了時間": "11:30",
        "場所名称": "北児童館",
        "所在地連結表記": "つなぐ市北町3-4-1",
        "場所住所": "つなぐ市北町3-4-1",
        "対象者": "1歳～3歳の親子",
        "参加費": "0",
        "料金基本": "0",
        "申込方法": "電話",
        "参加申込方法": "電話",
        "連絡先名称": "北児童館",
        "連絡先電話番号": "000-333-0001",
        "説明": "ピアノに合わせて体を動かします",
        "id": "E-1",
    } | {header_key(k): v for k, v in over.items()}
    return [values.get(header_key(h), "") for h in header]


def write_csv(path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding=encoding, newline="")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
@pytest.mark.parametrize("header", [FACILITY_OLD, FACILITY_NEW, FACILITY_VARIANT])
def test_facilities_in_each_encoding_and_header_generation(db, city, tmp_path, encoding, header):
    path = tmp_path / "kosodate_shisetsu.csv"
    write_csv(path, [header, facility_row(header)], encoding)
    report = import_paths(db, [path], city=city)
    assert report.ok, report.summary()
    (entry,) = load_entries(db)
    assert entry.name == "さくら保育園"
    assert entry.kind == "facility"
    assert "nursery" in entry.categories
    assert entry.area_id == "kita"  # 桜台 is one of 北地区's towns in city.yaml
    assert entry.place.address.startswith("つなぐ市桜台1-2-3")
    rule = entry.rules[0]
    assert rule.weekdays == (0, 1, 2, 3, 4, 5) and f"{rule.start:%H:%M}" == "07:00"
    if "一時預かりの有無" in header:
        assert "temporary_care" in entry.categories
    if "受入年齢" in header:
        assert (entry.min_age_months, entry.max_age_months) == (1, 71)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
@pytest.mark.parametrize("header", [EVENT_NEW, EVENT_BRIEF])
def test_events_in_each_encoding_and_header_generation(db, city, tmp_path, encoding, header):
    path = tmp_path / "event.csv"
    write_csv(path, [header, event_row(header)], encoding)
    report = import_paths(db, [path], city=city)
    assert report.ok, report.summary()
    (entry,) = load_entries(db)
    assert entry.kind == "event" and entry.name == "親子リズム遊び"
    assert entry.rules[0].dates[0].isoformat() == "2026-12-03"
    assert entry.fee == "無料"
    assert entry.place.name == "北児童館" and entry.area_id == "kita"


def test_reimport_updates_instead_of_duplicating(db, city, tmp_path):
    path = tmp_path / "shisetsu.csv"
    write_csv(path, [FACILITY_NEW, facility_row(FACILITY_NEW)])
    assert import_paths(db, [path], city=city).counts.created == 2  # entry and its place
    write_csv(path, [FACILITY_NEW, facility_row(FACILITY_NEW, 電話番号="000-222-1111")])
    report = import_paths(db, [path], city=city)
    assert report.ok and report.counts.updated == 1 and report.counts.created == 0
    (entry,) = load_entries(db)
    assert entry.phone == "000-222-1111"
    assert table_counts(db)["kb_entries"] == 1


def test_without_an_id_the_key_is_a_stable_hash_of_name_and_address(db, city, tmp_path):
    header = [h for h in FACILITY_OLD if h != "NO"]
    path = tmp_path / "shisetsu.csv"
    write_csv(path, [header, facility_row(header)])
    import_paths(db, [path], city=city)
    write_csv(path, [header, facility_row(header, 開始時間="7:30")])
    report = import_paths(db, [path], city=city)
    assert report.counts.updated == 1
    (entry,) = load_entries(db)
    assert entry.key.startswith("shisetsu-") and f"{entry.rules[0].start:%H:%M}" == "07:30"


def _bad(header, **over):
    return [header, facility_row(header), facility_row(header, **over)]


BAD_FILES = {
    "bad time": (_bad(FACILITY_NEW, 開始時間="25:00"), "line 3, column 16 「開始時間」", "a time"),
    "bad date": (
        [EVENT_NEW, event_row(EVENT_NEW, 開始日="2026/13/40")],
        "line 2, column 7 「開始日」",
        "a date",
    ),
    "bad latitude": (_bad(FACILITY_NEW, 緯度="北緯35"), "line 3, column 10 「緯度」", "latitude"),
    "bad longitude": (_bad(FACILITY_NEW, 経度="200"), "line 3, column 11 「経度」", "longitude"),
    "unknown header": (
        [[*FACILITY_NEW, "営業日"], [*facility_row(FACILITY_NEW), "x"]],
        "line 1, column 22 「営業日」",
        "子育て施設一覧 column",
    ),
    "missing required column": (
        [[h for h in FACILITY_NEW if h != "名称"], facility_row(FACILITY_NEW)[1:]],
        "line 1 「名称」",
        "a 「名称」 column",
    ),
    "missing required value": (
        _bad(FACILITY_NEW, 名称=""),
        "line 3, column 4 「名称」",
        "a value",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_name_file_line_and_column_and_change_nothing(db, city, tmp_path, case):
    good = tmp_path / "good.csv"
    write_csv(good, [FACILITY_NEW, facility_row(FACILITY_NEW, ID="KEEP")])
    assert import_paths(db, [good], city=city).ok
    before = table_counts(db)
    rows, where, expected = BAD_FILES[case]
    bad = tmp_path / "bad.csv"
    write_csv(bad, rows, "cp932")
    # The good file comes first: it must not be written either.
    write_csv(good, [FACILITY_NEW, facility_row(FACILITY_NEW, ID="NEW")])
    report = import_paths(db, [good, bad], city=city)
    assert not report.ok
    messages = [str(p) for p in report.problems]
    assert any("bad.csv" in m and where in m and expected in m for m in messages), messages
    assert table_counts(db) == before
    assert [e.key for e in load_entries(db)] == ["shisetsu-KEEP"]


def test_bad_encoding_is_reported_with_its_position(db, city, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("名称,住所\n".encode() + b"caf\xe9\xff,x\n")
    report = import_paths(db, [path], city=city)
    (problem,) = report.problems
    assert "latin.csv: line 2, column 4" in str(problem) and "UTF-8 or Shift_JIS" in str(problem)
    assert table_counts(db)["kb_entries"] == 0


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n"])
def test_empty_file(db, city, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    (problem,) = import_paths(db, [path], city=city).problems
    assert "empty.csv: line 1" in str(problem) and "header" in str(problem)


def test_header_only_file(db, city, tmp_path):
    path = tmp_path / "header.csv"
    write_csv(path, [FACILITY_NEW])
    (problem,) = import_paths(db, [path], city=city).problems
    assert "header.csv: line 2" in str(problem) and "at least one row" in str(problem)


def test_all_problems_are_reported_at_once(db, city, tmp_path):
    path = tmp_path / "many.csv"
    rows = [FACILITY_NEW, facility_row(FACILITY_NEW, 開始時間="9時75分", 緯度="x", ID="A")]
    rows.append(facility_row(FACILITY_NEW, 終了時間="夕方", ID="B"))
    write_csv(path, rows)
    report = import_paths(db, [path], city=city)
    assert sorted((p.line, p.column_name) for p in report.problems) == [
        (2, "緯度"),
        (2, "開始時間"),
        (3, "終了時間"),
    ]


def test_free_text_days_are_kept_as_notes(db, city, tmp_path):
    path = tmp_path / "days.csv"
    write_csv(path, [FACILITY_NEW, facility_row(FACILITY_NEW, 利用可能曜日="要問合せ")])
    assert import_paths(db, [path], city=city).ok
    (entry,) = load_entries(db)
    assert entry.rules == () and "要問合せ" in entry.notes


def test_multi_day_event_happens_each_day(db, city, tmp_path):
    path = tmp_path / "fes.csv"
    write_csv(path, [EVENT_NEW, event_row(EVENT_NEW, 終了日="2026/12/5")])
    assert import_paths(db, [path], city=city).ok
    (entry,) = load_entries(db)
    rule = entry.rules[0]
    assert (rule.valid_from.day, rule.valid_until.day, len(rule.weekdays)) == (3, 5, 7)


@pytest.mark.parametrize("cut", [1, 5, 19])
def test_a_row_with_fewer_cells_than_the_header_is_refused(db, city, tmp_path, cut):
    """A truncated row used to be imported as if its missing cells were empty."""
    path = tmp_path / "cut.csv"
    rows = [FACILITY_NEW, facility_row(FACILITY_NEW, ID="A"), facility_row(FACILITY_NEW, ID="B")]
    rows[2] = rows[2][: len(FACILITY_NEW) - cut]
    write_csv(path, rows)
    report = import_paths(db, [path], city=city)
    (problem,) = report.problems
    assert str(problem) == (
        f"{path}: line 3: expected {len(FACILITY_NEW)} cells, as many as the header has, "
        f"but found {len(FACILITY_NEW) - cut}"
    )
    assert table_counts(db)["kb_entries"] == 0, "all or nothing: row A is not imported either"


def test_a_row_with_more_cells_than_the_header_is_refused_even_if_they_are_empty(
    db, city, tmp_path
):
    path = tmp_path / "long.csv"
    write_csv(path, [FACILITY_NEW, [*facility_row(FACILITY_NEW), "", ""]])
    (problem,) = import_paths(db, [path], city=city).problems
    assert "long.csv: line 2" in str(problem)
    assert f"expected {len(FACILITY_NEW)} cells" in str(problem) and "found 23" in str(problem)


def test_blank_lines_are_still_skipped(db, city, tmp_path):
    path = tmp_path / "blank.csv"
    write_csv(path, [FACILITY_NEW, facility_row(FACILITY_NEW), [], [""] * 3])
    assert import_paths(db, [path], city=city).ok
