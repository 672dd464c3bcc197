"""What people type, made comparable: one normal form for commands, codes and answers.

Phones give full-width ＨＥＬＰ, half-width ﾍﾙﾌﾟ, stray spaces and mixed case; every place that
compares typed words with ours (commands, invite codes, case references, button labels) folds
both sides the same way here. The knowledge search folds further (kana, こども) in its own room.
"""

from __future__ import annotations

import re
import unicodedata

_KATA_TO_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}


def nfkc(typed: str) -> str:
    """Width folded (ﾍﾙﾌﾟ → ヘルプ, ＡＢＣ → ABC) and trimmed; case and kana kept."""
    return unicodedata.normalize("NFKC", typed).strip()


def fold(typed: str) -> str:
    """Width- and case-folded, for comparing words (ＨＥＬＰ, ﾍﾙﾌﾟ and help alike)."""
    return nfkc(typed).casefold()


def fold_kana(text: str) -> str:
    """Katakana → hiragana, one character for one (positions are kept)."""
    return text.translate(_KATA_TO_HIRA)


# A parent asking in their own words for a person, not for a service: 「専門員に相談したい」,
# 「誰かに話を聞いてほしい」, "can i talk to someone". The quick reply 「専門員に相談」 starts the
# consultation; typed, the same wish went to the search and came back as cards. A question about
# where to consult (「発達の相談はどこ？」, 「保健師さんに相談できる日は？」) or a child's trouble
# with people (「人と話すのが苦手」) says no wish to talk now, and stays a search.
_WISH = (  # a wish to talk now, not a question about where one could
    r"(?:相談したい|相談させて|相談に乗って|話したい|話がしたい|話せ|はなしたい|話を聞いて"
    r"|聞いてほしい|きいてほしい|連絡(?:ほしい|して|ください|を)|電話(?:ほしい|して|ください))"
)
_A_PERSON = re.compile(
    r"^(?:相談したい|そうだんしたい|相談させて|相談に乗って|話を聞いてほしい)"
    r"|(?:専門員|相談員|支援員|保健師|専門家|専門の(?:人|方)|担当の(?:人|方)|スタッフ|職員|誰か|だれか"
    r"|人と|ひとと)(?:さん)?(?:に|と|へ)?.{0,6}"
    + _WISH
    + r"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+)?(?:someone|somebody|person|human"
    r"|specialist|staff|counsel+or|real person)"
    r"|\b(?:falar|conversar)\s+com\s+(?:alguem|uma pessoa|um especialista|a especialista|atendente)"
    r"|(?:noi chuyen|tu van|gap)\s+(?:voi\s+)?(?:chuyen vien|ai do|nguoi|nhan vien)"
    r"|(?:找|跟|和)(?:专员|专家|工作人员|顾问|人)(?:聊|谈|咨询|说)|咨询专员"
)


def asks_for_a_person(typed: str) -> bool:
    """Whether a short message asks to talk with a specialist (folded, accents dropped)."""
    said = "".join(_unaccented(c) for c in fold(typed)).replace("đ", "d")
    return len(said) <= 60 and bool(_A_PERSON.search(fold_kana(said)))


def _unaccented(c: str) -> str:
    """ế → e, ã → a; kana and kanji untouched (だ keeps its voicing mark)."""
    if ord(c) >= 0x2000:
        return c
    return "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
