"""Whether anything in the city's list fits what was asked.

A question shares words with many entries without being about any of them: 「不妊治療の助成」
shares 助成 with the medical-costs grant, 「スイミング教室」 shares 教室 with the weaning class.
Such words only say what *kind* of help is wanted (money, a procedure, a class, advice); the
city lists them as ``generic`` in ``needs.yaml``. What the help is *for* is said by the other
nouns, and a Japanese phrase puts what it is about before its generic head (「〈不妊治療〉の助成」,
「〈高校進学〉の奨学金について相談」).

So the question's content words are read in order, each one:
- *known* — a need the question states covers it, or the data uses it (in any form, or, for a
  compound, in all its longer pieces: 「ひとり親」 = ひとり + 親);
- *unknown* — a noun the data never uses (kana-only words aside: they may be slips the
  bigrams still find);
- neither — generic words, words for the child, common words, verbs no need covers.

Nothing fits when an unknown word comes after the last known one: the question ends on
something the list does not have (「ひとり親になった。児童扶養手当の申請をしたい」), while
「友達の結婚式に出るから、半日だけ子どもを預けたい」 ends on a need the list meets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sudachipy import SplitMode

from bot.knowledge.needs import CHILD_WORDS, Said
from bot.knowledge.text import STOP_TERMS, fold, nfkc
from bot.knowledge.which_language import detect
from bot.sudachi import tokenizer

KNOWN, UNKNOWN = "known", "unknown"
COUNTS = "0123456789一二三四五六七八九十百何数"
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号", "接尾辞", "接頭辞", "感動詞"}


@dataclass(frozen=True)
class Word:
    surface: str
    noun: bool
    forms: frozenset[str]
    # The finer words of a compound (split mode A), each as written and in all its forms.
    pieces: tuple[tuple[str, frozenset[str]], ...]


def words(text: str) -> list[Word]:
    """The content words of a question in order, with their forms and pieces."""
    out = []
    for m in tokenizer().tokenize(nfkc(text), SplitMode.C):
        pos = m.part_of_speech()
        if pos[0] in _SKIP_POS:
            continue
        forms = _forms(m)
        pieces = (
            tuple((p.surface(), _forms(p)) for p in m.split(SplitMode.A))
            if len(m.surface()) > 2
            else ()
        )
        # Nouns that name a thing; those used as adverbs or counters (毎日, 全部, 週間) and
        # adjectival ones (ダメ) say when or how, never what is asked for.
        noun = pos[0] == "名詞" and pos[1] == "普通名詞" and pos[2] in ("一般", "サ変可能")
        out.append(Word(m.surface(), noun, forms, pieces if len(pieces) > 1 else ()))
    return out


def _forms(m) -> frozenset[str]:
    forms = {fold(m.surface()), fold(m.normalized_form())}
    if _kana_only(forms):  # a word written in kanji is known by its spelling (奨学 ≠ 小学)
        forms.add(fold(m.reading_form()))
    return frozenset(f for f in forms if f)


def verdicts(
    question: Iterable[Word],
    covered: frozenset[str],
    known: Callable[[str], bool],
    generic: frozenset[str],
) -> list[tuple[str, str]]:
    """Each word that counts, in order, with KNOWN or UNKNOWN (see the module's docstring)."""
    out = []
    for word in question:
        if word.forms & (STOP_TERMS | CHILD_WORDS | generic):
            continue
        if word.forms & covered or any(p & covered - generic for _, p in word.pieces):
            out.append((word.surface, KNOWN))
        elif not word.noun or len(word.surface) < 2 or word.surface[0] in COUNTS:
            continue  # a verb no need covers, a single character, a count: too little to judge
        elif any(known(f) for f in word.forms) or _known_pieces(word, known, generic):
            out.append((word.surface, KNOWN))
        elif not _kana_only([word.surface]):
            out.append((word.surface, UNKNOWN))
    return out


def off_list(
    text: str, said: Iterable[Said], known: Callable[[str], bool], generic: frozenset[str]
) -> bool:
    """Whether a question (its facets taken out) asks for something the list does not have."""
    covered = frozenset().union(*(s.covered for s in said))
    return nothing_fits(verdicts(words(text), covered, known, generic))


def foreign_off_list(asked: str, japanese: str, generic: frozenset[str]) -> bool:
    """Whether a question in another language asks for something the list does not have: a
    sentence surely in that language of which the city's vocabulary knows no word, or knows only
    generic ones (「签证更新办理」 → 申請 alone: a procedure, but of what?)."""
    if japanese == asked:
        return detect(asked) not in (None, "ja")
    return all(fold(w) in generic for w in japanese.split())


def nothing_fits(judged: list[tuple[str, str]]) -> bool:
    """Whether the question ends on something the list does not have."""
    last_unknown = max((i for i, (_, v) in enumerate(judged) if v == UNKNOWN), default=-1)
    last_known = max((i for i, (_, v) in enumerate(judged) if v == KNOWN), default=-1)
    return last_unknown > last_known


def _known_pieces(word: Word, known: Callable[[str], bool], generic: frozenset[str]) -> bool:
    """A compound the data does not use as a whole, made of pieces it does (「紙おむつ」,
    「大地震」); a longer piece unknown (「児童〈扶養〉手当」) or only generic
    (「出産〈育児〉一時金」) makes it unknown."""
    longer = [piece for surface, piece in word.pieces if len(surface) > 1]
    return bool(longer) and all(
        not piece & generic and any(known(f) for f in piece) for piece in longer
    )


def _kana_only(texts: Iterable[str]) -> bool:
    return all("ぁ" <= c <= "ゖ" or c == "ー" for text in texts for c in text)
