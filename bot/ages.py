"""Reading a child's age or stage from what people type: 「3さい」「1歳半」「生後6か月」「妊婦」.

Shared by the search (an age is a filter) and the concern-note dialog (a note that says the age
need not ask it). Pure text work: the input is NFKC-normalised and kana-folded by the caller, so
a match's span points into the caller's own string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.vocabulary import Stage

_COUNTER = r"(?:か|ヵ|ゖ|ヶ|け|カ|ケ|箇)"
_AGE = re.compile(
    rf"(\d{{1,2}})(?:歳|さい|才)(?:(\d{{1,2}}){_COUNTER}?月|(半))?"
    rf"|(?:生後)(\d{{1,2}}){_COUNTER}?月|(\d{{1,2}}){_COUNTER}月(?:児|の|くらい|ぐらい|に)?"
)
# Words for a stage, most specific first: the first that matches wins.
_STAGE_WORDS: list[tuple[re.Pattern[str], tuple[Stage, ...]]] = [
    (
        re.compile(r"妊娠|妊婦|にんしん|にんぷ|ぷれまま|またにてぃ|出産前|しゅっさんまえ|出産予定"),
        (Stage.PREGNANCY,),
    ),
    (
        re.compile(r"乳幼児|にゅうようじ|未就学|みしゅうがく"),
        (Stage.AGE0, Stage.AGE1_2, Stage.AGE3_PRESCHOOL),
    ),
    (re.compile(r"赤ちゃん|あかちゃん|赤ん坊|乳児|にゅうじ|新生児|ねんね"), (Stage.AGE0,)),
    (re.compile(r"幼児|ようじ|よちよち"), (Stage.AGE1_2, Stage.AGE3_PRESCHOOL)),
    (re.compile(r"年少|年中|年長|ねんちょう|ねんしょう"), (Stage.AGE3_PRESCHOOL,)),
    (
        re.compile(r"小学生|しょうがくせい|小[1-6１-６]|小学[1-6１-６]?年|小学"),
        (Stage.SCHOOL,),
    ),
]


@dataclass(frozen=True)
class AgeReading:
    months: int | None  # an age said in years or months; None for a stage word
    stages: frozenset[Stage]
    said: str  # the words that said it
    span: tuple[int, int] | None  # where an age (not a stage word) was said


def stages_for_months(months: int) -> set[Stage]:
    """The stages a child of this age (in months) may be in; 6-year-olds are either side."""
    if months < 0:
        return {Stage.PREGNANCY}
    if months < 12:
        return {Stage.AGE0}
    if months < 36:
        return {Stage.AGE1_2}
    if months < 72:
        return {Stage.AGE3_PRESCHOOL}
    if months < 84:
        return {Stage.AGE3_PRESCHOOL, Stage.SCHOOL}
    return {Stage.SCHOOL}


def read_age(text: str) -> AgeReading | None:
    """The first age in the text, else the first stage word; None when neither is there."""
    m = _AGE.search(text)
    if m:
        if m[1]:
            months = int(m[1]) * 12 + (int(m[2]) if m[2] else 6 if m[3] else 0)
        else:
            months = int(m[4] or m[5])
        return AgeReading(months, frozenset(stages_for_months(months)), m[0], m.span())
    for pattern, stages in _STAGE_WORDS:
        found = pattern.search(text)
        if found:
            return AgeReading(None, frozenset(stages), found[0], None)
    return None


def stages_said(text: str) -> frozenset[Stage]:
    """Every stage the text speaks of (an age and any stage words): a note that names two
    children or two stages says more than one, and the caller should ask."""
    found: set[Stage] = set()
    reading = read_age(text)
    if reading is not None:
        found |= reading.stages
    for pattern, stages in _STAGE_WORDS:
        if pattern.search(text):
            found.update(stages)
    return frozenset(found)
