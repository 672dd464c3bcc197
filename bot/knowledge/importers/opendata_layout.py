"""The layouts of the national standard open-data CSVs (子育て施設一覧, イベント一覧): each field's
header spellings, the columns left aside, and what a facility's 種別 says about it.

Shared by the importer (``opendata_csv``) and anything that writes the same layouts back out.
"""

from __future__ import annotations

import re
import unicodedata

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


def lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {
        header_key(spelling): name for name, spellings in table.items() for spelling in spellings
    }


FACILITY = lookup(FACILITY_HEADERS)
EVENT = lookup(EVENT_HEADERS)
IGNORED_KEYS = {header_key(h) for h in IGNORED}

# 種別 words → (categories, stages, minimum age in months)
KIND_RULES: list[tuple[str, tuple[str, ...], tuple[str, ...], int | None]] = [
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
AGE = re.compile(r"(?:生後|満)?(\d{1,2})\s*(歳|才|か月|ヶ月|ケ月|カ月|ヵ月|日)")
