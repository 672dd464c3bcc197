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

from bot.knowledge.city import City
from bot.knowledge.importers.common import read_text, stable_key
from bot.knowledge.importers.problems import FileProblems, Problem
from bot.knowledge.importers.yaml_format import Parsed
from bot.knowledge.records import Entry, Place, Provenance, Rule
from bot.knowledge.schedule import parse_date, parse_time, parse_weekdays

# field → header spellings (compared after header_key() folding)
FACILITY_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "no", "番号", "施設id", "施設番号"),
    "name": ("名称", "施設名", "施設名称"),
    "kana": ("名称カナ", "名称かな", "施設名カナ", "ふりがな", "フリガナ", "名称ふりがな"),
    "kind": ("種別", "施設種別", "種類", "分類", "施設の種類"),
    "address": ("住所", "所在地連結表記", "所在地", "所在地住所"),
    "address_extra": ("方書", "建物名等", "建物名等方書", "所在地方書"),
    "lat": ("緯度",),
    "lng": ("経度",),
    "access": ("アクセス方法", "アクセス"),
    "phone": ("電話番号", "連絡先電話番号", "電話"),
    "extension": ("内線番号", "連絡先内線番号"),
    "organization": ("団体名", "設置者", "運営者", "設置主体"),
    "ages": ("受入年齢", "対象年齢", "利用可能年齢", "受け入れ年齢"),
    "days": ("利用可能曜日", "開所曜日", "開館曜日"),
    "start": ("開始時間", "開所時間", "開館時間"),
    "end": ("終了時間", "閉所時間", "閉館時間"),
    "hours_note": ("利用可能日時特記事項", "開所時間特記事項"),
    "temporary_care": ("一時預かりの有無", "一時預かり"),
    "description": ("説明", "概要"),
    "url": ("url", "ホームページ", "ホームページurl", "webサイト", "ウェブサイト"),
    "notes": ("備考",),
}
EVENT_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "no", "番号", "イベントid"),
    "name": ("イベント名", "イベント名称", "名称"),
    "kana": ("イベント名カナ", "イベント名かな", "名称カナ", "ふりがな", "フリガナ"),
    "start_date": ("開始日", "開催日", "開始年月日", "開催開始日"),
    "end_date": ("終了日", "終了年月日", "開催終了日"),
    "start": ("開始時間", "開始時刻"),
    "end": ("終了時間", "終了時刻"),
    "date_note": ("開始日時特記事項", "日時特記事項", "開催日時特記事項"),
    "description": ("説明", "概要", "内容", "イベント内容"),
    "fee": ("料金基本", "参加費", "料金", "費用"),
    "fee_detail": ("料金詳細",),
    "contact": ("連絡先名称", "問合せ先", "問い合わせ先", "お問い合わせ先"),
    "phone": ("連絡先電話番号", "電話番号", "問合せ先電話番号"),
    "extension": ("連絡先内線番号", "内線番号"),
    "organizer": ("主催者", "主催"),
    "place_name": ("場所名称", "会場名", "開催場所", "会場", "場所"),
    "address": ("住所", "場所住所", "所在地連結表記", "所在地", "会場住所"),
    "address_extra": ("方書", "建物名等", "建物名等方書"),
    "lat": ("緯度",),
    "lng": ("経度",),
    "access": ("アクセス方法", "アクセス"),
    "audience": ("対象者", "対象"),
    "capacity": ("定員",),
    "booking": ("参加申込方法", "申込方法", "申し込み方法"),
    "booking_until": ("参加申込終了日", "申込締切日", "申込期限"),
    "booking_until_time": ("参加申込終了時間",),
    "category": ("カテゴリー", "カテゴリ", "種別"),
    "url": ("url", "ホームページ", "ホームページurl", "webサイト", "ウェブサイト"),
    "notes": ("備考",),
}
# Columns of the standard that mean nothing to a parent's question: read and left aside.
IGNORED = (
    "全国地方公共団体コード",
    "都道府県コード又は市区町村コード",
    "地方公共団体名",
    "都道府県名",
    "市区町村名",
    "名称英語",
    "名称英字",
    "イベント名英語",
    "イベント名英字",
    "所在地都道府県",
    "所在地市区町村",
    "所在地町字",
    "所在地番地以下",
    "郵便番号",
    "fax番号",
    "法人番号",
    "認可等年月日",
    "収容定員",
    "画像",
    "画像ライセンス",
    "連絡先メールアドレス",
    "連絡先formurl",
    "連絡先備考その他snsなど",
    "連絡先備考",
    "駐車場情報",
    "location",
    "開始日時",
    "終了日時",
)
REQUIRED = {"facilities": ("name", "address"), "events": ("name", "start_date")}
DATASET_NAMES = {"facilities": "子育て施設一覧", "events": "イベント一覧"}
IMPORTER = {"facilities": "opendata-facilities", "events": "opendata-events"}


def header_key(header: str) -> str:
    """Fold a header so 「名称（カナ）」, 「名称_カナ」 and 「 名称カナ」 compare equal."""
    t = unicodedata.normalize("NFKC", header).lower()
    return re.sub(r"[\s_()（）・\-\ufeff\[\]「」]", "", t)


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {
        header_key(spelling): name for name, spellings in table.items() for spelling in spellings
    }


_FACILITY = _lookup(FACILITY_HEADERS)
_EVENT = _lookup(EVENT_HEADERS)
_IGNORED = {header_key(h) for h in IGNORED}

# 種別 words → (categories, stages, minimum age in months)
_KIND_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...], int | None]] = [
    ("こども園", ("kodomoen",), ("age0", "age1_2", "age3_preschool"), None),
    ("幼稚園", ("kindergarten",), ("age3_preschool",), 36),
    ("保育", ("nursery",), ("age0", "age1_2", "age3_preschool"), None),
    ("児童館", ("children_hall",), ("age0", "age1_2", "age3_preschool", "school"), None),
    (
        "支援センター",
        ("support_center", "salon"),
        ("pregnancy", "age0", "age1_2", "age3_preschool"),
        None,
    ),
    ("ひろば", ("salon",), ("age0", "age1_2", "age3_preschool"), None),
    ("広場", ("salon",), ("age0", "age1_2", "age3_preschool"), None),
    ("放課後", ("after_school",), ("school",), 72),
    ("学童", ("after_school",), ("school",), 72),
    ("一時預かり", ("temporary_care",), ("age0", "age1_2", "age3_preschool"), None),
    ("病児", ("sick_child_care",), ("age0", "age1_2", "age3_preschool", "school"), None),
]
_AGE = re.compile(r"(?:生後|満)?(\d{1,2})\s*(歳|才|か月|ヶ月|ケ月|カ月|ヵ月|日)")


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
    for word, categories, stages, min_age in _KIND_RULES:
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
    for number, unit in _AGE.findall(t):
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
    lookup = _EVENT if dataset == "events" else _FACILITY
    columns: dict[str, tuple[int, str]] = {}
    for number, (raw, key) in enumerate(zip(header, keys, strict=True), start=1):
        if key in lookup:
            columns.setdefault(lookup[key], (number, raw.strip()))
        elif key and key not in _IGNORED:
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
            if any(c.strip() for c in cells):
                if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                    out.problems.append(
                        Problem(
                            name,
                            line,
                            len(header) + 1,
                            "",
                            f"at most {len(header)} columns, as many as the header has",
                        )
                    )
                values = {
                    f: cells[n - 1].strip() if n <= len(cells) else ""
                    for f, (n, _) in columns.items()
                }
                rows.append(_Row(values, columns, line))
            line = reader.line_num + 1
    except csv.Error as exc:
        out.problems.append(Problem(name, reader.line_num, None, "", f"CSV ({exc})"))
    return rows
