"""The knowledge base's fixed words: stages as the files write them, kinds of entry,
categories, weekdays. (The codes themselves are the program's: ``bot.vocabulary``.)"""

from __future__ import annotations

from bot.vocabulary import Stage

# A family's stage (seed part ③), as knowledge files and cards write it; searched too.
STAGES: dict[str, str] = {
    Stage.PREGNANCY: "妊娠中",
    Stage.AGE0: "0歳",
    Stage.AGE1_2: "1〜2歳",
    Stage.AGE3_PRESCHOOL: "3歳〜就学前",
    Stage.SCHOOL: "小学生",
}

KINDS: dict[str, str] = {
    "facility": "施設",
    "service": "サービス・手続き",
    "salon": "子育てサロン・ひろば",
    "event": "イベント・講座",
    # 出張相談: a specialist comes to a hub; parents book a slot (bot.outreach).
    "outreach": "出張相談",
}

# Category codes with the label parents read; the labels are searched too.
CATEGORIES: dict[str, str] = {
    "support_center": "子育て支援センター",
    "salon": "子育てサロン・ひろば・交流",
    "consultation": "相談",
    "maternal_health": "母子保健・妊娠・出産",
    "health_checkup": "健診・予防接種",
    "dental": "歯科・歯みがき",
    "nursery": "保育所・保育園",
    "kindergarten": "幼稚園",
    "kodomoen": "認定こども園",
    "temporary_care": "一時預かり・預ける",
    "sick_child_care": "病児保育・病後児保育",
    "after_school": "放課後児童クラブ・学童保育",
    "family_support": "ファミリー・サポート",
    "children_hall": "児童館・あそび場",
    "npo": "子育てNPO・サークル",
    "class": "教室・講座・学級",
    "event": "イベント",
    "money": "手当・助成・お金",
}

WEEKDAYS = "月火水木金土日"  # index = date.weekday()


def age_text(min_months: int | None, max_months: int | None) -> str:
    """「1歳〜3歳」-style text for a card; empty when no range is given."""

    def one(m: int) -> str:
        if m % 12 == 0:
            return f"{m // 12}歳"
        return f"{m // 12}歳{m % 12}か月" if m >= 12 else f"{m}か月"

    if min_months is None and max_months is None:
        return ""
    if max_months is None:
        return f"{one(min_months)}から"
    if min_months is None or min_months == 0:
        return f"{one(max_months)}まで"
    return f"{one(min_months)}〜{one(max_months)}"
