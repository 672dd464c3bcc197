"""The knowledge base out again as the national open-data CSVs: 子育て施設一覧 and イベント一覧,
with the column names ``importers/opendata_csv.py`` reads, so the files import back.

Facilities, salons and services with an address go to 子育て施設一覧; kinds the standard lacks
(子育て支援センター, サロン・ひろば, 相談窓口) are named in 種別. Events go to イベント一覧 one row
per date, for the coming days (the standard has no repeating rule), with the rule in words in
開始日時特記事項.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from bot.city import City
from bot.knowledge.export import rule_yaml
from bot.knowledge.records import Entry
from bot.knowledge.schedule import sessions
from bot.knowledge.vocabulary import CATEGORIES, KINDS, STAGES, age_text

FACILITY_COLUMNS = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "種別",
    "所在地_連結表記", "緯度", "経度", "電話番号", "団体名", "受入年齢", "利用可能曜日",
    "開始時間", "終了時間", "利用可能日時特記事項", "一時預かりの有無", "説明", "URL", "備考",
)  # fmt: skip
EVENT_COLUMNS = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "イベント名", "イベント名_カナ", "開始日",
    "終了日", "開始時間", "終了時間", "開始日時特記事項", "説明", "料金(基本)", "連絡先電話番号",
    "主催者", "場所名称", "所在地_連結表記", "緯度", "経度", "対象者", "参加申込方法",
    "カテゴリー", "URL", "備考",
)  # fmt: skip
FACILITY_FILE = "childcare_facilities.csv"  # 子育て施設一覧
EVENT_FILE = "events.csv"  # イベント一覧
FACILITY_KINDS = ("facility", "salon", "service")
HORIZON_DAYS = 92  # events: the dates of the coming three months


@dataclass
class OpenData:
    files: dict[str, str]  # file name → CSV text
    facilities: int
    events: int
    skipped: list[str]  # keys of entries with no address (a facility list needs one)


def shubetsu(e: Entry) -> str:
    """The 種別 cell: the file's own word for CSV-imported rows, else ours."""
    if e.source.importer == "opendata-facilities" and e.summary:
        return e.summary
    if e.kind == "salon":
        return KINDS["salon"]
    for category in e.categories:
        if category in CATEGORIES and category not in ("event", "salon"):
            return CATEGORIES[category]
    return KINDS.get(e.kind, e.kind)


def _time(t) -> str:
    return f"{t:%H:%M}" if t else ""


def _common(e: Entry, city: City) -> dict:
    place = e.place
    return {
        "全国地方公共団体コード": "",  # the city file holds no code (it is a standard column)
        "地方公共団体名": city.name,
        "所在地_連結表記": place.address if place else "",
        "緯度": "" if not place or place.lat is None else f"{place.lat:.6f}",
        "経度": "" if not place or place.lng is None else f"{place.lng:.6f}",
        "URL": e.url,
    }


def facility_row(e: Entry, city: City) -> dict:
    first = e.rules[0] if e.rules else None
    weekly = first is not None and first.weekdays and not first.dates
    days = rule_yaml(first).get("days", "") if weekly else ""
    if weekly and first.nth:
        days = "・".join(f"第{n}" if n > 0 else "最終" for n in first.nth) + days + "曜日"
    more = [_rule_text(r) for r in e.rules[1 if weekly else 0 :]]
    return _common(e, city) | {
        "ID": e.key,
        "名称": e.name,
        "名称_カナ": e.kana,
        "種別": shubetsu(e),
        "電話番号": e.contact_phone,
        "団体名": e.organization.name if e.organization else "",
        "受入年齢": age_text(e.min_age_months, e.max_age_months),
        "利用可能曜日": days,
        "開始時間": _time(first.start) if weekly else "",
        "終了時間": _time(first.end) if weekly else "",
        "利用可能日時特記事項": " / ".join(x for x in more if x),
        "一時預かりの有無": "有" if "temporary_care" in e.categories else "",
        "説明": "\n".join(x for x in (e.summary, e.description) if x),
        "備考": e.notes,
    }


def _rule_text(r) -> str:
    text = rule_yaml(r)
    parts = [text.get("days", ""), text.get("time", ""), text.get("note", "")]
    if r.nth:
        parts[0] = "・".join(f"第{n}" if n > 0 else "最終" for n in r.nth) + parts[0] + "曜日"
    if r.dates:
        parts.insert(0, "・".join(text["dates"]))
    return " ".join(p for p in parts if p)


def event_rows(e: Entry, city: City, today: date, days: int) -> list[dict]:
    rows = []
    seen: dict[str, int] = {}
    audience = "・".join(STAGES[s] for s in e.stages if s in STAGES)
    for s in sessions(e, today, days, city.calendar.holidays):
        base = f"{e.key}_{s.day:%Y%m%d}"
        seen[base] = seen.get(base, 0) + 1
        rows.append(
            _common(e, city)
            | {
                "ID": base if seen[base] == 1 else f"{base}_{seen[base]}",
                "イベント名": e.name,
                "イベント名_カナ": e.kana,
                "開始日": s.day.isoformat(),
                "終了日": s.day.isoformat(),
                "開始時間": _time(s.start),
                "終了時間": _time(s.end),
                "開始日時特記事項": " / ".join(_rule_text(r) for r in e.rules),
                "説明": "\n".join(x for x in (e.summary, e.description) if x),
                "料金(基本)": e.fee,
                "連絡先電話番号": e.contact_phone,
                "主催者": e.organization.name if e.organization else "",
                "場所名称": e.place.name if e.place else "",
                "対象者": audience,
                "参加申込方法": e.booking,
                "カテゴリー": next(
                    (CATEGORIES[c] for c in e.categories if c in CATEGORIES and c != "event"),
                    KINDS["event"],
                ),
                "備考": e.notes,
            }
        )
    return rows


def _csv(columns: tuple[str, ...], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_opendata(
    entries: list[Entry], city: City, today: date, days: int = HORIZON_DAYS
) -> OpenData:
    facilities, events, skipped = [], [], []
    for e in entries:
        if e.kind in ("event", "outreach"):  # an outreach consultation is dated sessions too
            events += event_rows(e, city, today, days)
        elif e.kind in FACILITY_KINDS and e.place and e.place.address:
            facilities.append(facility_row(e, city))
        else:
            skipped.append(e.key)
    return OpenData(
        {
            FACILITY_FILE: _csv(FACILITY_COLUMNS, facilities),
            EVENT_FILE: _csv(EVENT_COLUMNS, events),
        },
        len(facilities),
        len(events),
        skipped,
    )
