"""Reading a member's note before it is sent: words that seem to name the family (so the member
can rewrite them with initials), and the child's stage when the note says it plainly.

Pure text work on what the member typed; nothing here is stored or logged.
"""

from __future__ import annotations

import re

from bot.ages import stages_said
from bot.typed import fold_kana, nfkc
from bot.vocabulary import Stage

_PHONE = re.compile(r"0\d{1,4}[-ー‐ｰ ]?\d{1,4}[-ー‐ｰ ]?\d{3,4}|\d{10,11}")
_ADDRESS = re.compile(r"\d+丁目|\d+番地|\d+番\d+号|\d+-\d+-\d+|[都道府県市区町村]\S{0,8}\d+-\d+")
_NAME = re.compile(r"([一-龥々]{2,5}|[ァ-ヶー]{3,8})(?:さん|ちゃん|くん|君|様|氏)")
# Roles, relations and titles, not names: 保育士さん, お母さん, 専門員さん, ママさん …
_NOT_NAMES = (
    "保育士",
    "保健師",
    "先生",
    "担任",
    "園長",
    "母親",
    "父親",
    "祖母",
    "祖父",
    "兄弟",
    "姉妹",
    "民生委員",
    "児童委員",
    "主任",
    "看護師",
    "助産師",
    "お母",
    "お父",
    "赤",
    "専門員",
    "支援員",
    "相談員",
    "職員",
    "スタッフ",
    "保護者",
    "ママ",
    "パパ",
    "隣",
    "近所",
    "役所",
    "市役所",
    "担当",
    "店員",
    "大家",
    "管理人",
    "友達",
    "友人",
    "同僚",
    "上司",
    "奥",
    "旦那",
    "息子",
    "娘",
)


def identifying_words(note: str) -> list[str]:
    """The words that seem to be a full name, a phone number or an address (quoted back to
    the member); empty when the note seems to name nobody."""
    folded = nfkc(note)
    found = [m[0] for pattern in (_PHONE, _ADDRESS) for m in pattern.finditer(folded)]
    for match in _NAME.finditer(folded):
        if not any(word in match.group(1) for word in _NOT_NAMES):
            found.append(match[0])
    return list(dict.fromkeys(found))


def seems_identifying(note: str) -> bool:
    return bool(identifying_words(note))


def guess_stage(note: str) -> Stage | None:
    """The child's stage when the note says one plainly (「0歳」「妊娠中」「小学2年」); else None
    (nothing said, or two stages: the member is asked)."""
    found = stages_said(fold_kana(nfkc(note)))
    return next(iter(found)) if len(found) == 1 else None
