"""Japanese text analysis for the danger check: normalise, cut into pieces, tokenise, split
sentences.

Text is NFKC-normalised (half-width katakana and full-width ASCII fold to their usual forms) and
tokenised with SudachiPy. Words written in katakana that the dictionary does not know
(「タタイテシマウ」, typed in katakana for emphasis or from a half-width keyboard) are folded to
hiragana and the piece is tokenised again, so that the verb and its endings are found.

Sudachi refuses input over about 49 KB, and one long tokenisation is slow, so a text is read in
pieces of at most `PIECE` characters cut at sentence ends (or, failing those, at a comma or a
space): a 20,000-character message is checked like forty short ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from sudachipy import SplitMode

from bot.sudachi import tokenizer

SENTENCE_ENDS = frozenset("。．.!?！？\n…")
PIECE = 500  # characters: well under Sudachi's byte limit, and short enough to stay fast
_KATAKANA = range(ord("ァ"), ord("ヶ") + 1)
_CUT = re.compile(r"[。．.!?！？\n…]+|[、，,\s]+")


@dataclass(frozen=True, slots=True)
class Token:
    """One morpheme, reduced to what the rules look at."""

    surface: str
    lemma: str  # Sudachi's normalized form: 叩く for たたく, 叩く, タタク alike
    base: str  # dictionary form folded to hiragana: たたく
    reading: str  # reading of the surface, in hiragana: たたい
    pos: str  # part of speech, three levels joined: 動詞-一般-*, 名詞-普通名詞-副詞可能
    form: str  # conjugation form: 仮定形-一般, 意志推量形 …
    # What the lexicon may look it up by (lemma, dictionary form, and for kana the lemma in
    # hiragana): computed once here, since every word group asks for it.
    keys: frozenset[str] = frozenset()

    def is_(self, words) -> bool:
        return self.lemma in words or self.base in words

    @property
    def is_noun(self) -> bool:
        return self.pos.startswith(("名詞", "代名詞", "接尾辞-名詞", "接頭辞"))

    @property
    def is_kana(self) -> bool:
        return _is_kana(self.surface)


def _is_kana(text: str) -> bool:
    return all("ぁ" <= c <= "ゖ" or "ァ" <= c <= "ヺ" or c == "ー" for c in text)


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if ord(c) in _KATAKANA else c for c in text)


def _is_katakana(text: str) -> bool:
    return all(ord(c) in _KATAKANA or c == "ー" for c in text)


# 連れてかない, 持ってかなかった: ていく said short, which Sudachi reads as かなう
_TEKU = re.compile(r"(?<=[てで])か(?=な[いかくけ])")


def normalise(text: str) -> str:
    return _TEKU.sub("いか", unicodedata.normalize("NFKC", text))


def pieces(text: str, size: int = PIECE) -> Iterator[str]:
    """The text in pieces of at most `size` characters, cut after a sentence end where one is
    near, else after a comma or space, else anywhere (a run of 10,000 letters still passes)."""
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = 0
        for m in _CUT.finditer(window):
            if m.end() > size // 4:  # a cut too early would make many tiny pieces
                cut = m.end()
        cut = cut or size
        yield text[start : start + cut]
        start += cut
    if start < len(text):
        yield text[start:]


def _morphemes(text: str) -> list:
    morphemes = list(tokenizer().tokenize(text, SplitMode.C))
    if any(m.is_oov() and _is_katakana(m.surface()) for m in morphemes):
        text = "".join(
            to_hiragana(m.surface()) if m.is_oov() and _is_katakana(m.surface()) else m.surface()
            for m in morphemes
        )
        morphemes = list(tokenizer().tokenize(text, SplitMode.C))
    return morphemes


def tokens_of(text: str) -> list[Token]:
    """One short text (a lexicon entry, a piece of a message) as tokens, sentence ends kept."""
    out = []
    for m in _morphemes(text):
        pos = m.part_of_speech()
        surface, lemma, base = m.surface(), m.normalized_form(), to_hiragana(m.dictionary_form())
        keys = {lemma, base}
        if _is_kana(surface):
            keys.add(to_hiragana(lemma))
        out.append(
            Token(
                surface=surface,
                lemma=lemma,
                base=base,
                reading=to_hiragana(m.reading_form()),
                pos="-".join(pos[:3]),
                form=pos[5],
                keys=frozenset(keys),
            )
        )
    return out


def analyse(text: str) -> list[list[Token]]:
    """The text as sentences of tokens."""
    sentences: list[list[Token]] = [[]]
    for piece in pieces(normalise(text)):
        for t in tokens_of(piece):
            if t.surface in SENTENCE_ENDS or t.surface.isspace() and "\n" in t.surface:
                if sentences[-1]:
                    sentences.append([])
                continue
            if t.surface.isspace():
                continue
            sentences[-1].append(t)
        if sentences[-1]:
            sentences.append([])  # a piece ends a sentence: its cut was at an end or a comma
    return [s for s in sentences if s]
