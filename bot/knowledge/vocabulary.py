"""The program's fixed words: child stages, kinds of entry, categories, weekdays."""

from __future__ import annotations

# A family's stage, from pregnancy to school age (seed part ③); one code each.
STAGES: dict[str, str] = {
    "pregnancy": "妊娠中",
    "age0": "0歳",
    "age1_2": "1〜2歳",
    "age3_preschool": "3歳〜就学前",
    "school": "小学生",
}

KINDS: dict[str, str] = {
    "facility": "施設",
    "service": "サービス・手続き",
    "salon": "子育てサロン・ひろば",
    "event": "イベント・講座",
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


def stages_for_months(months: int) -> set[str]:
    """The stages a child of this age (in months) may be in; 6-year-olds are either side."""
    if months < 0:
        return {"pregnancy"}
    if months < 12:
        return {"age0"}
    if months < 36:
        return {"age1_2"}
    if months < 72:
        return {"age3_preschool"}
    if months < 84:
        return {"age3_preschool", "school"}
    return {"school"}


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
