"""Facets pulled out of a parent's question: the child's age or stage, a weekday, an area.

They become search filters (relaxed when nothing matches); the words that said them are taken
out of the question so 「1歳」 or 「土曜」 do not compete with names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.ages import read_age
from bot.city import Area, City
from bot.knowledge.text import fold, fold_kana, nfkc
from bot.knowledge.vocabulary import WEEKDAYS

_WEEKDAY = re.compile(
    r"([月火水木金土日])(?:曜|よう)(?:日|び)?|(げつ|すい|もく|きん|ど|にち)ようび?|(か)ようび"
    r"|(土日|週末|しゅうまつ|どにち)|(平日|へいじつ)|(今日|きょう|本日)|(明日|あした|あす)"
)
_HIRA_DAY = {"げつ": 0, "か": 1, "すい": 2, "もく": 3, "きん": 4, "ど": 5, "にち": 6}


@dataclass(frozen=True)
class Facets:
    months: int | None = None
    stages: frozenset[str] = frozenset()
    weekdays: frozenset[int] = frozenset()
    area: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # facet name → what the parent said

    def as_dict(self) -> dict:
        return {
            "age_months": self.months,
            "stages": sorted(self.stages),
            "weekdays": [WEEKDAYS[d] for d in sorted(self.weekdays)],
            "area": self.area,
        }


def extract(question: str, city: City | None, today: date) -> tuple[Facets, str]:
    """The facets in a question, and the question (NFKC) with their words blanked out."""
    # Two strings of equal length: `text` (kana folded) is matched, `plain` (katakana kept,
    # which Sudachi reads better) is what is left for the search terms.
    plain = nfkc(question)
    text = fold_kana(plain)
    spans: list[tuple[int, int]] = []
    labels: dict[str, str] = {}
    months: int | None = None
    stages: set[str] = set()

    age = read_age(text)
    if age is not None:
        months, stages = age.months, set(age.stages)
        labels["age"] = age.said
        if age.span:  # an age is taken out; a stage word stays searchable
            spans.append(age.span)

    weekdays: set[int] = set()
    for w in _WEEKDAY.finditer(text):
        weekdays.update(_weekdays_of(w, today))
        labels["weekday"] = (labels.get("weekday", "") + " " + w[0]).strip()
        spans.append(w.span())

    area: str | None = None
    for a in city.areas if city else ():
        hit = next((n for n in _names_of(a) if n in text), None)
        if hit:
            area, labels["area"] = a.id, hit
            start = text.index(hit)
            spans.append((start, start + len(hit)))
            break
    facets = Facets(months, frozenset(stages), frozenset(weekdays), area, labels)
    for start, end in sorted(spans, reverse=True):
        plain = plain[:start] + " " * (end - start) + plain[end:]
    return facets, plain


# An area's names, folded, longest first: the same for every question (folding them per question
# was most of reading the facets).
_AREA_NAMES: dict[tuple, tuple[str, ...]] = {}


def _names_of(area: Area) -> tuple[str, ...]:
    key = (area.name, area.kana, area.towns)
    names = _AREA_NAMES.get(key)
    if names is None:
        folded = [fold(n) for n in (area.name, area.kana, *area.towns, *area.casual_names) if n]
        names = _AREA_NAMES[key] = tuple(sorted(folded, key=len, reverse=True))
    return names


def _weekdays_of(m: re.Match[str], today: date) -> set[int]:
    if m[1]:
        return {WEEKDAYS.index(m[1])}
    if m[2] or m[3]:
        return {_HIRA_DAY[m[2] or m[3]]}
    if m[4]:
        return {5, 6}
    if m[5]:
        return {0, 1, 2, 3, 4}
    if m[6]:
        return {today.weekday()}
    return {(today + timedelta(days=1)).weekday()}
