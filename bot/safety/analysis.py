"""Japanese text analysis for the danger-signal matcher: normalise, tokenise, split sentences.

Text is NFKC-normalised (half-width katakana and full-width ASCII fold to their usual forms) and
tokenised once with SudachiPy. Words written in katakana that the dictionary does not know
(「タタイテシマウ」, typed in katakana for emphasis or from a half-width keyboard) are folded to
hiragana and the text is tokenised again, so that the verb and its endings are found.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sudachipy import SplitMode

from bot.sudachi import tokenizer

SENTENCE_ENDS = frozenset("。．.!?\n…")
_KATAKANA = range(ord("ァ"), ord("ヶ") + 1)


@dataclass(frozen=True, slots=True)
class Token:
    """One morpheme, reduced to what the rules look at."""

    surface: str
    lemma: str  # Sudachi's normalized form: 叩く for たたく, 叩く, タタク alike
    base: str  # dictionary form folded to hiragana: たたく
    reading: str  # reading of the surface, in hiragana: たたい
    pos: str  # part of speech, three levels joined: 動詞-一般-*, 名詞-普通名詞-副詞可能
    form: str  # conjugation form: 仮定形-一般, 意志推量形 …

    def is_(self, words: frozenset[str]) -> bool:
        return self.lemma in words or self.base in words

    @property
    def is_noun(self) -> bool:
        return self.pos.startswith(("名詞", "代名詞", "接尾辞-名詞", "接頭辞"))


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if ord(c) in _KATAKANA else c for c in text)


def _tokens(text: str) -> list:
    return list(tokenizer().tokenize(text, SplitMode.C))


def _is_katakana(text: str) -> bool:
    return all(ord(c) in _KATAKANA or c == "ー" for c in text)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def analyse(text: str) -> list[list[Token]]:
    """The text as sentences of tokens."""
    text = normalise(text)
    morphemes = _tokens(text)
    if any(m.is_oov() and _is_katakana(m.surface()) for m in morphemes):
        text = "".join(
            to_hiragana(m.surface()) if m.is_oov() and _is_katakana(m.surface()) else m.surface()
            for m in morphemes
        )
        morphemes = _tokens(text)
    sentences: list[list[Token]] = [[]]
    for m in morphemes:
        surface = m.surface()
        if surface in SENTENCE_ENDS or surface.isspace() and "\n" in surface:
            if sentences[-1]:
                sentences.append([])
            continue
        pos = m.part_of_speech()
        sentences[-1].append(
            Token(
                surface=surface,
                lemma=m.normalized_form(),
                base=to_hiragana(m.dictionary_form()),
                reading=to_hiragana(m.reading_form()),
                pos="-".join(pos[:3]),
                form=pos[5],
            )
        )
    return [s for s in sentences if s]
