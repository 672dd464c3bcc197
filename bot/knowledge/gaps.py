"""Questions the bot could not answer well, kept for the city's editors and exported grouped.

Keeping the knowledge base current is the burden cities report most; the questions parents ask
and get no good answer to say what is missing. What is kept is only what was asked — never who:
no user id, no session, the day and not the time. Before storing, the words are masked where a
question could identify a family: phone numbers, e-mail addresses, URLs, long numbers (postcodes,
addresses, member numbers) and names (what the dictionary knows as a person's name, and a word
before さん・くん・ちゃん・様). A message longer than ``LONGEST`` is not kept at all: it is a
story rather than a question, and stories hold family details. A message with danger signs is
never kept (it never reaches the search, and is checked again here). Rows are purged after
``bot.scheduler.retention.GAPS_KEPT``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.knowledge.models import KbGap
from bot.knowledge.text import (
    STOP_TERMS,
    analyzer,
    fold,
    fold_endings,
    slip_fold,
    strip_question,
)
from bot.safety import assess
from bot.storage.db import Database

LONGEST = 200
NOTHING, CLOSEST, UNRELATED = "nothing", "closest", "unrelated"

_MASKS = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "〔メール〕"),
    (re.compile(r"https?://\S+|www\.\S+"), "〔URL〕"),
    (re.compile(r"\+?\d[\d\-‐−ー() ]{7,}\d"), "〔電話番号〕"),
    (re.compile(r"\d+(?:[-‐−ー]\d+){1,}|\d{4,}"), "〔番号〕"),
]
# Words before さん・くん・ちゃん that are roles, not names.
_ROLES = (
    "赤 あか お母 おかあ 母 お父 おとう 父 先生 保育士 歯医者 お医者 医者 看護師 助産師 保健師 "
    "ママ パパ お兄 おにい 兄 お姉 おねえ 姉 おじい おばあ じい ばあ 奥 旦那 妹 弟 娘 息子 お子 子 "
    "皆 みな 皆さん お隣 となり 近所 お巡り 警察 大家 店員 園長 担任 栄養士 心理士 相談員 専門員"
).split()
_HONORIFIC = re.compile(r"([ぁ-んァ-ヶー一-龥]{1,8}?)(さん|くん|君|ちゃん|様|さま|氏)")


def mask(question: str) -> str:
    """The question with what could identify a family masked (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", question).strip()
    for pattern, label in _MASKS:
        text = pattern.sub(label, text)
    text = _HONORIFIC.sub(_name_or_role, text)
    words = []
    for surface, pos in analyzer().parts(text):
        words.append("〔名前〕" if pos[1:3] == ("固有名詞", "人名") else surface)
    return re.sub(r"(?:〔名前〕)+", "〔名前〕", "".join(words))


def _name_or_role(m: re.Match[str]) -> str:
    word = m[1]
    if any(word.endswith(role) for role in _ROLES):
        return m[0]
    return "〔名前〕" + m[2]


def record(
    session: Session, question: str, kind: str, asked_on: date, needs=(), closest=""
) -> bool:
    """Keep a question that got no good answer, in the turn's own transaction; False when it is
    not kept (too long, danger signs, empty)."""
    if not question.strip() or len(question) > LONGEST or assess(question) is not None:
        return False
    session.add(
        KbGap(
            asked_on=asked_on,
            kind=kind,
            question=mask(question),
            needs=list(needs),
            closest=closest or "",
        )
    )
    return True


@dataclass
class Group:
    """Questions with the same gist (their content words, in any order and form)."""

    gist: str
    questions: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    needs: set[str] = field(default_factory=set)
    closest: set[str] = field(default_factory=set)


_POLITE = re.compile(r"(?:です|ます|でした|ました|でしょうか|ですか|ますか)$")


def gists(question: str) -> tuple[str, str]:
    """Two keys for a question: its content words in any order and form (「夜泣き ひどい」 =
    「夜泣きがひどい」), and its reading (「よなきがひどいです」, which the dictionary splits
    oddly, = 「夜泣きがひどい」). Questions sharing either key are one group."""
    plain = strip_question(fold_endings(question))
    analysis = analyzer().analyze(plain)
    content = sorted({min(w - STOP_TERMS) for w in analysis.words if w - STOP_TERMS})
    reading = _POLITE.sub("", slip_fold(analysis.reading.replace(" ", "")))
    return "w:" + (" ".join(content) or fold(question).strip()), "r:" + reading


def groups(db: Database, since: date) -> list[Group]:
    """The questions asked since a day, grouped by gist; the most asked first."""
    with db.reading() as session:
        rows = session.scalars(
            select(KbGap).where(KbGap.asked_on >= since).order_by(KbGap.asked_on, KbGap.id)
        ).all()
        parent: dict[str, str] = {}

        def root(k: str) -> str:
            while parent.setdefault(k, k) != k:
                k = parent[k]
            return k

        keys = [gists(row.question) for row in rows]
        for words, reading in keys:
            parent[root(reading)] = root(words)
        by_gist: dict[str, Group] = {}
        for row, (words, _reading) in zip(rows, keys, strict=True):
            top = root(words)
            g = by_gist.setdefault(top, Group(top[2:]))
            g.questions.append(row.question)
            g.days.append(row.asked_on)
            g.kinds.add(row.kind)
            g.needs.update(row.needs or ())
            if row.closest:
                g.closest.add(row.closest)
    return sorted(by_gist.values(), key=lambda g: (-len(g.questions), g.gist))


COLUMNS = [
    "count",
    "first_asked",
    "last_asked",
    "how",
    "needs",
    "question",
    "also_asked",
    "closest",
]


def write_csv(found: Iterable[Group], out: TextIO) -> int:
    """The groups as CSV for the editors (Excel opens it: UTF-8 with a byte-order mark)."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    n = 0
    for g in found:
        counts: dict[str, int] = defaultdict(int)
        for q in g.questions:
            counts[q] += 1
        wordings = sorted(counts, key=lambda q: -counts[q])
        writer.writerow(
            [
                len(g.questions),
                min(g.days).isoformat(),
                max(g.days).isoformat(),
                " ".join(sorted(g.kinds)),
                " ".join(sorted(g.needs)),
                wordings[0],
                " / ".join(wordings[1:4]),
                " ".join(sorted(g.closest)),
            ]
        )
        n += 1
    return n
