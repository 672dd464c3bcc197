"""The national standard open-data CSVs: 子育て施設一覧 and イベント一覧.

Both the older 推奨データセット headers and the newer 自治体標準データセット headers are read,
with the spelling variants cities use (full-width, spaces, brackets, 「ＵＲＬ」…), in UTF-8
(with or without BOM) or Shift_JIS/CP932 as Excel saves it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from bot.calendar import parse_time
from bot.city import City
from bot.knowledge.importers.common import read_text, stable_key
from bot.knowledge.importers.opendata_layout import (
    AGE,
    DATASET_NAMES,
    EVENT,
    EVENT_HEADERS,
    FACILITY,
    FACILITY_HEADERS,
    IGNORED_KEYS,
    IMPORTER,
    KIND_RULES,
    REQUIRED,
    header_key,
)
from bot.knowledge.importers.problems import FileProblems, Problem
from bot.knowledge.importers.yaml_format import Parsed
from bot.knowledge.records import Entry, Place, Provenance, Rule
from bot.knowledge.schedule import parse_date, parse_weekdays


@dataclass
class _Row:
    values: dict[str, str]
    columns: dict[str, tuple[int, str]]  # field → (column number, header as written)
    line: int


class _Reader:
    def __init__(self, name: str, city: City | None, dataset: str, out: Parsed):
        self.name, self.city, self.dataset, self.out = name, city, dataset, out

    def problem(self, row: _Row, fieldname: str, expected: str) -> None:
        column, header = row.columns[fieldname]
        self.out.problems.append(
            Problem(self.name, row.line, column, header, expected, row.values[fieldname])
        )

    def time(self, row: _Row, fieldname: str) -> time | None:
        if not row.values.get(fieldname):
            return None
        try:
            return parse_time(row.values[fieldname])
        except ValueError:
            self.problem(row, fieldname, "a time like 10:00")
            return None

    def date(self, row: _Row, fieldname: str) -> date | None:
        if not row.values.get(fieldname):
            return None
        try:
            return parse_date(row.values[fieldname])
        except ValueError:
            self.problem(row, fieldname, "a date like 2026-04-01 or 2026/4/1")
            return None

    def coordinate(self, row: _Row, fieldname: str, limit: int) -> float | None:
        if not row.values.get(fieldname):
            return None
        try:
            value = float(unicodedata.normalize("NFKC", row.values[fieldname]))
        except ValueError:
            value = None
        if value is None or not -limit <= value <= limit:
            word = "latitude" if limit == 90 else "longitude"
            self.problem(row, fieldname, f"a {word}: a decimal number from -{limit} to {limit}")
            return None
        return value

    def place(self, row: _Row, key: str, name: str) -> Place:
        v = row.values
        address = " ".join(x for x in (v.get("address", ""), v.get("address_extra", "")) if x)
        return Place(
            key=key,
            name=name,
            address=address,
            lat=self.coordinate(row, "lat", 90),
            lng=self.coordinate(row, "lng", 180),
            area=self.city.area_for_address(address) if self.city else None,
            access=v.get("access", ""),
            source=Provenance(self.name, row.line, IMPORTER[self.dataset]),
        )

    def facility(self, row: _Row) -> Entry:
        v = row.values
        key = (
            f"shisetsu-{v['id']}"
            if v.get("id")
            else stable_key("shisetsu", v["name"], v.get("address", ""))
        )
        categories, stages, min_age = _classify(v.get("kind", "") + " " + v["name"])
        if v.get("temporary_care", "").strip() in ("有", "あり", "有り", "○", "◯"):
            categories = (*categories, "temporary_care")
        ages = _ages(v.get("ages", ""))
        start, end = self.time(row, "start"), self.time(row, "end")
        rules: tuple[Rule, ...] = ()
        notes = [v.get("hours_note", ""), v.get("notes", "")]
        if v.get("days"):
            try:
                weekdays, nth = parse_weekdays(v["days"])
                rules = (Rule(weekdays=weekdays, nth=nth, start=start, end=end),)
            except ValueError:  # free text such as 「要問合せ」: shown, not scheduled
                notes.insert(0, f"利用できる日: {v['days']}")
        place = self.place(row, f"{key}.place", v["name"])
        self.out.places.append(place)
        return Entry(
            key=key,
            kind="facility",
            name=v["name"],
            kana=v.get("kana", ""),
            summary=v.get("kind", ""),
            description=v.get("description", ""),
            categories=categories,
            keywords=(v["kind"],) if v.get("kind") else (),
            stages=stages,
            min_age_months=ages[0] if ages[0] is not None else min_age,
            max_age_months=ages[1],
            place_key=place.key,
            phone=_phone(v),
            url=v.get("url", ""),
            notes="\n".join(n for n in notes if n),
            rules=rules,
            source=Provenance(self.name, row.line, IMPORTER[self.dataset]),
        )

    def event(self, row: _Row) -> Entry:
        v = row.values
        place_name = v.get("place_name", "")
        key = (
            f"event-{v['id']}"
            if v.get("id")
            else stable_key("event", v["name"], v.get("start_date", ""), place_name)
        )
        first, last = self.date(row, "start_date"), self.date(row, "end_date")
        start, end = self.time(row, "start"), self.time(row, "end")
        if first and last and last < first:
            self.problem(row, "end_date", f"a date on or after the start date {first}")
        rules: tuple[Rule, ...] = ()
        if first and (not last or last == first):
            rules = (Rule(dates=(first,), start=start, end=end, closed_on_holidays=False),)
        elif first and last:  # every day of a festival or exhibition
            rules = (
                Rule(
                    weekdays=tuple(range(7)),
                    start=start,
                    end=end,
                    valid_from=first,
                    valid_until=last,
                    closed_on_holidays=False,
                ),
            )
        place_key = None
        if place_name or v.get("address"):
            place = self.place(
                row, stable_key("place", place_name, v.get("address", "")), place_name
            )
            self.out.places.append(place)
            place_key = place.key
        categories, stages, _ = _classify(v.get("category", "") + " " + v.get("audience", ""))
        fee = " ".join(x for x in (v.get("fee", ""), v.get("fee_detail", "")) if x)
        if fee and re.fullmatch(r"\d+", fee):
            fee = "無料" if fee == "0" else f"{int(fee):,}円"
        booking = v.get("booking", "")
        if v.get("booking_until"):
            booking += f"（締切 {v['booking_until']} {v.get('booking_until_time', '')}）".replace(
                " ）", "）"
            )
        description = "\n".join(
            x
            for x in (v.get("description", ""), v.get("audience", "") and f"対象: {v['audience']}")
            if x
        )
        contact = " ".join(x for x in (v.get("organizer", ""), v.get("contact", "")) if x)
        return Entry(
            key=key,
            kind="event",
            name=v["name"],
            kana=v.get("kana", ""),
            summary=v.get("category", "") or "イベント",
            description=description,
            categories=(*categories, "event") if "event" not in categories else categories,
            keywords=tuple(x for x in (v.get("category", ""), contact) if x),
            stages=_audience_stages(v.get("audience", "")) or stages,
            place_key=place_key,
            phone=_phone(v),
            fee=fee,
            booking=booking.strip(),
            url=v.get("url", ""),
            notes="\n".join(x for x in (v.get("date_note", ""), v.get("notes", "")) if x),
            rules=rules,
            source=Provenance(self.name, row.line, IMPORTER[self.dataset]),
        )


def _classify(text: str) -> tuple[tuple[str, ...], tuple[str, ...], int | None]:
    for word, categories, stages, min_age in KIND_RULES:
        if word in text:
            return categories, stages, min_age
    return (), (), None


def _audience_stages(text: str) -> tuple[str, ...]:
    t = unicodedata.normalize("NFKC", text)
    found = []
    for words, stage in (
        (("妊娠", "妊婦", "プレママ", "マタニティ"), "pregnancy"),
        (("0歳", "乳児", "赤ちゃん"), "age0"),
        (("1歳", "2歳", "幼児"), "age1_2"),
        (("3歳", "4歳", "5歳", "未就学", "幼児"), "age3_preschool"),
        (("小学", "学童"), "school"),
    ):
        if any(w in t for w in words):
            found.append(stage)
    return tuple(found)


def _ages(text: str) -> tuple[int | None, int | None]:
    """「0歳～5歳」「生後57日～就学前」「満3歳以上」 → months (min, max); None where unsaid."""
    t = unicodedata.normalize("NFKC", text)
    found = []
    for number, unit in AGE.findall(t):
        n = int(number)
        found.append(n * 12 if unit in ("歳", "才") else n if "月" in unit else n // 30)
    if not found:
        return None, None
    if len(found) == 1:
        return (found[0], None) if not re.search(r"まで|未満|以下", t) else (None, found[0])
    return found[0], found[1] + (11 if "歳" in t and found[1] % 12 == 0 else 0)


def _phone(v: dict[str, str]) -> str:
    phone = unicodedata.normalize("NFKC", v.get("phone", "")).strip()
    if phone and v.get("extension"):
        phone += f"（内線 {v['extension']}）"
    return phone


def read_csv(path: Path, name: str, city: City | None) -> Parsed:
    out = Parsed()
    try:
        text, _ = read_text(path, name)
    except FileProblems as exc:
        out.problems.append(exc.problem)
        return out
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        out.problems.append(Problem(name, 1, None, "", f"CSV ({exc})"))
        return out
    if not any(h.strip() for h in header):
        out.problems.append(Problem(name, 1, None, "", "a header line naming the columns"))
        return out
    keys = [header_key(h) for h in header]
    dataset = "events" if {"イベント名", "開始日"} & set(keys) else "facilities"
    lookup = EVENT if dataset == "events" else FACILITY
    columns: dict[str, tuple[int, str]] = {}
    for number, (raw, key) in enumerate(zip(header, keys, strict=True), start=1):
        if key in lookup:
            columns.setdefault(lookup[key], (number, raw.strip()))
        elif key and key not in IGNORED_KEYS:
            known = ", ".join(
                s[0] for s in (EVENT_HEADERS if dataset == "events" else FACILITY_HEADERS).values()
            )
            out.problems.append(
                Problem(
                    name,
                    1,
                    number,
                    raw.strip(),
                    f"a {DATASET_NAMES[dataset]} column ({known})",
                )
            )
    for required in REQUIRED[dataset]:
        if required not in columns:
            table = EVENT_HEADERS if dataset == "events" else FACILITY_HEADERS
            out.problems.append(
                Problem(
                    name,
                    1,
                    None,
                    table[required][0],
                    f"a 「{table[required][0]}」 column in a {DATASET_NAMES[dataset]} file",
                )
            )
    if out.problems:
        return out
    rows = _rows(reader, header, columns, name, out)
    if not rows and not out.problems:
        out.problems.append(Problem(name, 2, None, "", "at least one row of data"))
    r = _Reader(name, city, dataset, out)
    for row in rows:
        missing = [f for f in REQUIRED[dataset] if not row.values.get(f)]
        for f in missing:
            r.problem(row, f, "a value (this column is required)")
        if not missing:
            out.entries.append(r.event(row) if dataset == "events" else r.facility(row))
    return out


def _rows(reader, header: list[str], columns, name: str, out: Parsed) -> list[_Row]:
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                pass  # a blank line (Excel leaves some at the end)
            elif len(cells) != len(header):
                # A row cut short (or run on) would put its values under the wrong columns,
                # or quietly leave the last ones empty: the row is refused, not guessed at.
                out.problems.append(
                    Problem(
                        name,
                        line,
                        None,
                        "",
                        f"{len(header)} cells, as many as the header has, but found {len(cells)}",
                    )
                )
            else:
                values = {f: cells[n - 1].strip() for f, (n, _) in columns.items()}
                rows.append(_Row(values, columns, line))
            line = reader.line_num + 1
    except csv.Error as exc:
        out.problems.append(Problem(name, reader.line_num, None, "", f"CSV ({exc})"))
    return rows
