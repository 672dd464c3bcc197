"""The project's YAML format and the sample city: idempotent import, updates by key, and
problems that point at the exact line and column."""

from __future__ import annotations

import textwrap

import pytest

from bot.knowledge.importers import import_paths
from bot.knowledge.store import load_entries
from tests.knowledge.helpers import snapshot, table_counts

GOOD = """\
    # SAMPLE
    places:
      - {key: hall, name: テスト児童館, address: つなぐ市北町1-1, lat: 35.2, lng: 137.1, area: kita}
    entries:
      - key: salon-a
        kind: salon
        name: テストサロン
        stages: [age0, age1_2]
        place: hall
        organization: kosodate-shien-center
        schedule:
          - {days: 月・水, time: "10:00-11:30"}
          - {days: 第2・第4水曜日, time: 13:00-14:00, note: 誕生会}
"""


def write(tmp_path, text: str, name: str = "kb.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_sample_city_imports_and_is_idempotent(db, city):
    files = [city.path, *city.knowledge_files]
    first = import_paths(db, files, city=city)
    assert first.ok, first.summary()
    assert first.entries >= 80
    before = snapshot(db)
    second = import_paths(db, files, city=city)
    assert second.ok and second.counts.created == 0 and second.counts.updated == 0
    assert snapshot(db) == before
    entries = load_entries(db)
    assert {e.area_id for e in entries} >= {"kita", "minami", "higashi", "nishi", "chuo"}
    assert all(e.source.file and e.source.line for e in entries)


def test_times_stay_text_and_rules_round_trip(db, city, tmp_path):
    report = import_paths(db, [city.path, write(tmp_path, GOOD)], city=city)
    assert report.ok, report.summary()
    (entry,) = load_entries(db)
    weekly, monthly = entry.rules
    assert weekly.weekdays == (0, 2) and f"{weekly.start:%H:%M}-{weekly.end:%H:%M}" == "10:00-11:30"
    assert monthly.weekdays == (2,) and monthly.nth == (2, 4) and monthly.note == "誕生会"
    assert f"{monthly.start:%H:%M}" == "13:00"  # unquoted 13:00 is not YAML's sexagesimal 780
    assert entry.place.area == "kita" and entry.organization.name == "つなぐ市子育て支援センター"
    assert entry.source.line == 5


def test_reimport_updates_by_key(db, city, tmp_path):
    path = write(tmp_path, GOOD)
    import_paths(db, [city.path, path], city=city)
    write(tmp_path, GOOD.replace("テストサロン", "テストサロン（改）"))
    report = import_paths(db, [path], city=city)
    assert report.ok and report.counts.updated == 1
    assert [e.name for e in load_entries(db)] == ["テストサロン（改）"]
    assert table_counts(db)["kb_schedules"] == 2


BAD = {
    "syntax error": (
        "entries:\n  - key: a\n    name: [unclosed\n",
        "line 4, column 1",
        "valid YAML",
    ),
    "tab indentation": ("entries:\n\t- key: a\n", "line 2, column 1", "valid YAML"),
    "unknown field": (
        GOOD.replace("kind: salon", "kind: salon\n        colour: red"),
        "line 7, column 13 「entries[1].colour」",
        "one of the fields",
    ),
    "bad time": (
        GOOD.replace('"10:00-11:30"', '"10:00-25:00"'),
        "line 12, column 27 「entries[1].schedule[1].time」",
        "a time range",
    ),
    "bad days": (GOOD.replace("月・水", "そのうち"), "line 12, column 16", "weekdays"),
    "bad date": (
        GOOD.replace("{days: 月・水,", "{dates: [2026-02-30],"),
        "「entries[1].schedule[1].dates」",
        "dates like 2026-04-01",
    ),
    "bad stage": (GOOD.replace("age1_2]", "toddler]"), "line 8, column 13", "one of pregnancy"),
    "bad area": (
        GOOD.replace("area: kita", "area: north"),
        "「places[1].area」",
        "an area id from the city file",
    ),
    "bad latitude": (
        GOOD.replace("lat: 35.2", "lat: 135.2"),
        "「places[1].lat」",
        "a number from -90 to 90",
    ),
    "unknown reference": (
        GOOD.replace("place: hall", "place: nowhere"),
        "line 5",
        "the key of an place",
    ),
    "missing name": (
        GOOD.replace("        name: テストサロン\n", ""),
        "「entries[1].name」",
        "a value for 'name'",
    ),
    "duplicate key": (
        GOOD + GOOD[GOOD.index("      - key: salon-a") :],
        "line 14",
        "a key used once",
    ),
    "empty file": ("", "line 1", "organizations, places or entries"),
    "outreach without a time": (
        GOOD.replace("kind: salon", "kind: outreach").replace(', time: "10:00-11:30"', ""),
        "「entries[1].schedule」",
        "rules with a time",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_yaml_names_line_and_column_and_changes_nothing(db, city, tmp_path, case):
    assert import_paths(db, [city.path], city=city).ok
    before = table_counts(db)
    text, where, expected = BAD[case]
    other = GOOD.replace("salon-a", "salon-b").replace("hall", "hall-b")
    report = import_paths(
        db, [write(tmp_path, other, "good.yaml"), write(tmp_path, text)], city=city
    )
    messages = [str(p) for p in report.problems]
    assert any("kb.yaml" in m and where in m and expected in m for m in messages), messages
    assert table_counts(db) == before


def test_unsupported_and_missing_files(db, city, tmp_path):
    other = tmp_path / "kb.xlsx"
    other.write_bytes(b"PK")
    report = import_paths(db, [other, tmp_path / "gone.yaml"], city=city)
    assert [p.expected for p in report.problems] == ["a .yaml or .csv file", "an existing file"]


def test_export_round_trips(db, city, tmp_path):
    from bot.knowledge.export import export_yaml

    assert import_paths(db, [city.path, *city.knowledge_files], city=city).ok
    exported = write(tmp_path, export_yaml(db), "export.yaml")
    before = snapshot(db)
    report = import_paths(db, [exported], city=city)
    assert report.ok, report.summary()
    assert report.counts.updated == 0 and report.counts.created == 0
    assert snapshot(db) == before
