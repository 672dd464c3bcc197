"""The knowledge base out as open data: HSDS 3.0 JSON validated against the Open Referral
schemas (vendored in hsds_schema/), and the national open-data CSVs, which import back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from bot.cli.kb import kb
from bot.knowledge.hsds import export_hsds
from bot.knowledge.importers import import_paths, read_file
from bot.knowledge.importers.opendata_csv import EVENT_HEADERS, FACILITY_HEADERS, header_key
from bot.knowledge.opendata_export import (
    EVENT_COLUMNS,
    EVENT_FILE,
    FACILITY_COLUMNS,
    FACILITY_FILE,
    export_opendata,
)
from bot.knowledge.store import load_all

SCHEMAS = Path(__file__).with_name("hsds_schema")
TABLES = {
    "organizations": "organization.json",
    "services": "service.json",
    "locations": "location.json",
    "service_at_locations": "service_at_location.json",
    "schedules": "schedule.json",
}
TODAY = date(2026, 11, 27)


def validator(name: str) -> Draft202012Validator:
    """A validator for one HSDS table; its $refs ("phone.json") resolve to the vendored files."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    ]
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text())
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


@pytest.fixture
def sample(db, city):
    assert import_paths(db, [city.path, *city.knowledge_files], city=city).ok
    return load_all(db)


def test_hsds_export_is_valid_against_the_hsds_3_schemas(sample, city):
    document = export_hsds(*sample, city, today=TODAY)
    orgs, places, entries = sample
    assert len(document["services"]) == len(entries) == 102
    assert len(document["locations"]) == len(places)
    assert len(document["organizations"]) >= len(orgs)
    for table, schema in TABLES.items():
        check = validator(schema)
        assert document[table], table
        for item in document[table]:
            errors = sorted(check.iter_errors(item), key=str)
            assert not errors, (table, item.get("id"), [e.message for e in errors])
    ids = [x["id"] for table in TABLES for x in document[table]]
    assert len(ids) == len(set(ids))  # unique across the document


def test_hsds_links_and_schedules_follow_the_knowledge_base(sample, city):
    document = export_hsds(*sample, city, today=TODAY)
    services = {s["name"]: s for s in document["services"]}
    org_ids = {o["id"] for o in document["organizations"]}
    location_ids = {loc["id"] for loc in document["locations"]}
    assert all(s["organization_id"] in org_ids for s in document["services"])
    assert all(x["location_id"] in location_ids for x in document["service_at_locations"])
    massage = services["ベビーマッサージ教室"]
    (rule,) = [x for x in document["schedules"] if x["service_id"] == massage["id"]]
    assert (rule["freq"], rule["byday"]) == ("MONTHLY", "1TH")  # the first Thursday
    assert (rule["opens_at"], rule["closes_at"]) == ("10:30+09:00", "11:30+09:00")
    assert massage["minimum_age"] == round(2 / 12, 2) and massage["maximum_age"] == round(
        11 / 12, 2
    )
    weekly = [x for x in document["schedules"] if x.get("freq") == "WEEKLY" and "count" not in x]
    assert weekly and all(
        set(x["byday"].split(",")) <= {"MO", "TU", "WE", "TH", "FR", "SA", "SU"} for x in weekly
    )
    again = export_hsds(*sample, city, today=TODAY)
    assert again == document  # ids are stable


def test_an_invalid_document_fails_the_schema_check():
    errors = list(validator("service.json").iter_errors({"id": "not-a-uuid", "name": "x"}))
    assert {e.validator for e in errors} >= {"required", "format"}  # status, and the uuid


def test_open_data_csv_uses_the_importers_columns_and_imports_back(sample, city, tmp_path, db):
    data = export_opendata(sample[2], city, TODAY)
    known_facility = {header_key(s) for spellings in FACILITY_HEADERS.values() for s in spellings}
    known_event = {header_key(s) for spellings in EVENT_HEADERS.values() for s in spellings}
    assert {header_key(c) for c in FACILITY_COLUMNS} - known_facility == {
        header_key("全国地方公共団体コード"),
        header_key("地方公共団体名"),
    }
    assert {header_key(c) for c in EVENT_COLUMNS} - known_event == {
        header_key("全国地方公共団体コード"),
        header_key("地方公共団体名"),
    }
    facilities = list(csv.DictReader(io.StringIO(data.files[FACILITY_FILE])))
    kinds = {row["名称"]: row["種別"] for row in facilities}
    assert kinds["きた保育園"] == "認可私立保育所"  # the file's own word, kept
    assert kinds["つなぐ市子育て支援センター"] == "子育て支援センター"  # a kind the standard lacks
    assert kinds["親子ひろば「すくすく」（子育て支援センター）"] == "子育てサロン・ひろば"
    events = list(csv.DictReader(io.StringIO(data.files[EVENT_FILE])))
    massage = [r for r in events if r["イベント名"] == "ベビーマッサージ教室"]
    assert [r["開始日"] for r in massage] == ["2026-12-03", "2027-01-07", "2027-02-04"]
    assert massage[0]["開始日時特記事項"] == "第1木曜日 10:30-11:30"

    for name, body in data.files.items():
        (tmp_path / name).write_text(body, encoding="utf-8-sig")
        parsed = read_file(tmp_path / name, city)
        assert not parsed.problems, parsed.problems[:3]
        assert len(parsed.entries) == (data.facilities if name == FACILITY_FILE else data.events)
    back = {e.name: e for e in read_file(tmp_path / FACILITY_FILE, city).entries}
    assert "support_center" in back["つなぐ市子育て支援センター"].categories
    assert "salon" in back["親子ひろば「すくすく」（子育て支援センター）"].categories


def test_kb_export_formats_from_the_command_line(tmp_path, monkeypatch):
    from bot.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOT_CITY", "BOT_DATA_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()
    assert runner.invoke(kb, ["import", "--sample"]).exit_code == 0
    assert runner.invoke(kb, ["export"]).output.startswith("organizations:")  # YAML by default
    hsds = runner.invoke(kb, ["export", "--format", "hsds"])
    assert hsds.exit_code == 0 and json.loads(hsds.output)["hsds_version"] == "3.0"
    out = tmp_path / "open"
    result = runner.invoke(kb, ["export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / FACILITY_FILE).read_bytes().startswith(b"\xef\xbb\xbf")
    assert runner.invoke(kb, ["export", "--format", "csv"]).exit_code == 2  # needs a folder
