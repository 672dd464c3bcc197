"""What people type, made comparable: one normal form for commands, codes and answers.

Phones give full-width ＨＥＬＰ, half-width ﾍﾙﾌﾟ, stray spaces and mixed case; every place that
compares typed words with ours (commands, invite codes, case references, button labels) folds
both sides the same way here. The knowledge search folds further (kana, こども) in its own room.
"""

from __future__ import annotations

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
