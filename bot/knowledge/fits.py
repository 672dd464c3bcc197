"""Whether anything in the city's list fits what was asked.

A question shares words with many entries without being about any of them: 「不妊治療の助成」
shares 助成 with the medical-costs grant, 「スイミング教室」 shares 教室 with the weaning class.
Such words only say what *kind* of help is wanted (money, a procedure, a class, advice); the
city lists them as ``generic`` in ``needs.yaml``. What the help is *for* is said by the other
nouns, and a Japanese phrase puts what it is about before its generic head (「〈不妊治療〉の助成」,
「〈高校進学〉の奨学金について相談」).

So the question's content words are read in order, each one:
- *known* — a need the question states covers it, or the data uses it (in any form, or, for a
  compound, in all its longer pieces: 「紙おむつ」 = 紙 + おむつ);
- *unknown* — a noun the data never uses (kana-only words aside: they may be slips the
  bigrams still find);
- *generic* — a kind of help or a detail of it (助成, 教室, 申請, 予約; 〜方, 〜日: 書き方, 振込日);
- neither — words for the child, common words, verbs no need covers.

Nothing fits when the question has unknown words and no known one (「子ども食堂ってある？」), or
when it ends on an unknown word asked about with a generic one in the same sentence
(「ひとり親になった。児童扶養手当の申請をしたい」, 「不妊治療の助成」, 「スイミング教室」). A
parent's own words around a known need (「公園デビューも失敗した気がする」, 「毎食バトル」) end
on unknown words too, but ask for no kind of help the list lacks: they are answered, and so is
「友達の結婚式に出るから、半日だけ子どもを預けたい」, which ends on a need the list meets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sudachipy import SplitMode

from bot.knowledge.needs import CHILD_WORDS, NeedReader, Said, unrelated
from bot.knowledge.text import STOP_TERMS, fold, nfkc
from bot.knowledge.which_language import detect
from bot.sudachi import tokenizer

KNOWN, UNKNOWN, GENERIC = "known", "unknown", "generic"
# The family's people and the facets (an age, a weekday, an area), as another language's words
# give them: they place a question, but never say what it asks for.
FAMILY_WORDS = CHILD_WORDS | {"親子", "ママ", "親", "家族"}
CHINESE_CHARACTER = re.compile(r"[\u3400-\u9fff]")
FACET_WORD = re.compile(r"\d+(?:歳半?|か月)$|.曜$|週末$|平日$|今日$|明日$|.+地区$")
# Endings of a word that asks a detail (書き方, 振込日, 連絡先, 利用料), not a service.
DETAIL_ENDINGS = ("方", "日", "先", "料", "時間", "時期", "期間")
SENTENCE_END = frozenset("。．！？!?\n")
COUNTS = "0123456789一二三四五六七八九十百何数"
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号", "接尾辞", "接頭辞", "感動詞"}


@dataclass(frozen=True)
class Word:
    surface: str
    sentence: int  # which sentence of the question it is in
    noun: bool
    forms: frozenset[str]
    # The finer words of a compound (split mode A), each as written and in all its forms.
    pieces: tuple[tuple[str, frozenset[str]], ...]


def words(text: str) -> list[Word]:
    """The content words of a question in order, with their forms and pieces. The search has
    just tokenized the same text: this thread's tokenizer answers it from memory (bot.sudachi)."""
    out, sentence = [], 0
    for m in tokenizer().tokenize(nfkc(text), SplitMode.C):
        pos = m.part_of_speech()
        if pos[0] in _SKIP_POS:
            sentence += bool(set(m.surface()) & SENTENCE_END)
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
        out.append(Word(m.surface(), sentence, noun, forms, pieces if len(pieces) > 1 else ()))
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
) -> list[tuple[str, str, int]]:
    """Each word that counts, in order, with KNOWN or UNKNOWN (see the module's docstring)."""
    out = []
    for word in question:
        if word.forms & generic or word.noun and word.surface.endswith(DETAIL_ENDINGS):
            out.append((word.surface, GENERIC, word.sentence))
            continue
        if word.forms & (STOP_TERMS | CHILD_WORDS):
            continue
        if word.forms & covered or any(p & covered - generic for _, p in word.pieces):
            out.append((word.surface, KNOWN, word.sentence))
        elif not word.noun or len(word.surface) < 2 or word.surface[0] in COUNTS:
            continue  # a verb no need covers, a single character, a count: too little to judge
        elif any(known(f) for f in word.forms) or _known_pieces(word, known, generic):
            out.append((word.surface, KNOWN, word.sentence))
        elif not _kana_only([word.surface]):
            out.append((word.surface, UNKNOWN, word.sentence))
    return out


def told_nothing_fits(
    analysis,
    said: list[Said],
    known: Callable[[str], bool],
    reader: NeedReader | None,
    question: tuple[str, str, str, bool],
) -> bool:
    """Whether to tell a parent that nothing in the city's list fits. Telling a parent 'not in
    the list' when there is an answer is worse than a weak card, so it is said only on strong
    evidence: a topic another office handles (``elsewhere``), or the word rules above — never
    when a need about a child's or mother's body is said (the health centre meets those: 「斜視
    かも」, 「尿もれがひどい」), and, in Japanese, only when some word is surely one the data
    lacks (a noun in kanji or katakana, not a slip or a casual kana spelling)."""
    asked, japanese_words, plain, japanese = question
    if reader is None:
        return unrelated(analysis, said, known, None)
    if reader.elsewhere(analysis):
        return True
    if any(s.need.body for s in said):
        return False
    covered = frozenset().union(*(s.covered for s in said))
    if not japanese:
        return unrelated(analysis, said, known, reader) or foreign_off_list(
            asked, japanese_words, reader.generic, known, covered
        )
    judged = verdicts(words(plain), covered, known, reader.generic)
    if not any(v == UNKNOWN for _, v, _ in judged):
        return False
    return unrelated(analysis, said, known, reader) or nothing_fits(judged)


def off_list(
    text: str, said: Iterable[Said], known: Callable[[str], bool], generic: frozenset[str]
) -> bool:
    """Whether a question (its facets taken out) asks for something the list does not have."""
    covered = frozenset().union(*(s.covered for s in said))
    return nothing_fits(verdicts(words(text), covered, known, generic))


def foreign_off_list(
    asked: str,
    japanese: str,
    generic: frozenset[str],
    known: Callable[[str], bool],
    covered: frozenset[str] = frozenset(),
) -> bool:
    """Whether a question in another language asks for something the list does not have: a
    sentence surely in that language of which the city's vocabulary knows no word, or whose
    search words are all generic (「签证更新办理」 → 申請 alone: a procedure, but of what?) or
    words the data lacks (Chinese words outside the vocabulary, in Japanese characters:
    「护照」 → 護照; but 「离乳食」 → 離乳食 is the data's own word). A word a stated need covers
    is known, though the data may not use it ("we're moving next month" → 引っ越し: the move's
    registrations)."""
    if japanese == asked:
        return detect(asked) not in (None, "ja")
    said = japanese.split()
    lacking = [_lacks(w, known, generic, covered) for w in said]
    # Beside a word the data lacks, who (the child, the family) and when (an age, a weekday)
    # say nothing of what is asked: 「a soccer club for kids」 → レッスン 親子. Not in Chinese,
    # whose words the vocabulary lacks are read in Japanese characters: weak evidence then.
    beside = any(lacking) and not CHINESE_CHARACTER.search(asked)
    return all(
        gap or fold(w) in generic or beside and (w in FAMILY_WORDS or FACET_WORD.match(w))
        for w, gap in zip(said, lacking, strict=True)
    )


def _lacks(
    word: str,
    known: Callable[[str], bool],
    generic: frozenset[str],
    covered: frozenset[str] = frozenset(),
) -> bool:
    judged = [v for _, v, _ in verdicts(words(word), covered, known, generic)]
    # Single characters are too little to judge, but a Chinese word made of them (護照) is not
    # one the data uses.
    han_only = not judged and all("\u3400" <= c <= "\u9fff" for c in word) and len(word) > 1
    return UNKNOWN in judged or han_only


def nothing_fits(judged: list[tuple[str, str, int]]) -> bool:
    """Whether the question asks for something the list does not have (the module's rule)."""
    unknown = [i for i, (_, v, _) in enumerate(judged) if v == UNKNOWN]
    known = [i for i, (_, v, _) in enumerate(judged) if v == KNOWN]
    if not unknown:
        return False
    if not known:
        return True
    last = unknown[-1]
    asked = any(v == GENERIC and n == judged[last][2] for _, v, n in judged)
    return last > known[-1] and asked


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
