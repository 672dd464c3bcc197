"""The needs vocabulary: what parents say instead of a service's name, and what it means.

A parent writes a life event (「来月から復職」), a situation (「仕事を休めない」) or a symptom
(「夜泣きがひどい」), not 「一時預かり」. The city keeps a list of such phrases, each with the
kinds of service that meet it (``needs.yaml`` beside the city file); the search looks for those
kinds too. A phrase is found when each of its words is in the question in any form (dictionary
form, spelling or reading, so 「ふっきする」 and 「復帰しました」 both find 「復帰」), or, for a
question typed in kana that the tokenizer split oddly, when its reading is in the question's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.knowledge.text import STOP_TERMS, Analysis, analyzer, slip_fold

MIN_READING = 3  # a shorter reading (は, ねつ) is found inside too many other words
# A phrase that says "not" (知り合いがいない, 寝ない): the reader's words drop the auxiliary ない
# (いない reads 居る), so such a phrase is said only by a question that says "not" somewhere
# too; 「頼る人がいるので大丈夫」 does not say 頼る人がいない. Read on the whole question's
# reading, so it is loose (any "not" will do), never stricter than the words.
NEGATED = re.compile(r"(?:ない|なくて|ません|ず)$")
NEGATION = re.compile(r"な(?:い|く|かっ|きゃ)|ません|ず|へん|ひん|ねえ|ねー")
# Words for the child: they place a question in child-rearing, but say nothing about which
# service; a question of only these and a vague need (「子どもを預けたい」) is asked what is meant.
CHILD_WORDS = frozenset(
    "こども 子供 子 赤ちゃん あかちゃん 息子 むすこ 娘 むすめ 上の子 下の子".split()
)


@dataclass(frozen=True)
class Option:
    """One answer to a need's clarifying question, and what it searches for."""

    label: str
    look_for: tuple[str, ...]


@dataclass(frozen=True)
class Need:
    id: str
    says: tuple[str, ...]
    look_for: tuple[str, ...]
    ask: tuple[Option, ...] = ()  # a vague need asks which of these is meant
    weight: float = 1.0  # a broad need (「心配」) helps less than a precise one
    care: bool = False  # said by a tired or lonely parent: a human word comes before any list
    occasion: bool = False  # an errand care is wanted for (歯医者, 美容院), not a service itself
    # A life event (妊娠, 引っ越し, 離婚): said with a precise need, it is the family's situation,
    # and the other need is what is asked for (「引っ越してきて知り合いがいない」).
    context: bool = False
    setting: tuple[str, ...] = ()  # where the need arises (保育園 in 「保育園のお迎え」)
    # A child's or a mother's body or development: the health centre's consultation always meets
    # it, so words the data lacks (斜視, 尿もれ) are never read as "nothing fits".
    body: bool = False
    # When, not what (夜中, 休日, 週末): said only with one of ``ill`` (熱, けが) in the question
    # (the night doctor's line for a fever on a holiday, not for a play space this weekend).
    when: tuple[str, ...] = ()
    ill: tuple[str, ...] = ()


@dataclass(frozen=True)
class Said:
    """A need found in a question: by which phrase, and which of the question's forms."""

    need: Need
    phrase: str
    covered: frozenset[str]


def parse(raw: Mapping | None) -> tuple[list[Need], list[str], list[str]]:
    """The needs, the other offices' topics and the generic words from ``needs.yaml``."""
    raw = raw or {}
    needs = [
        Need(
            str(n["id"]),
            tuple(str(s) for s in n.get("says") or ()),
            tuple(str(s) for s in n.get("look_for") or ()),
            tuple(
                Option(str(o["label"]), tuple(str(s) for s in o.get("look_for") or ()))
                for o in n.get("ask") or ()
            ),
            float(n.get("weight", 1.0)),
            bool(n.get("care", False)),
            bool(n.get("occasion", False)),
            bool(n.get("context", False)),
            tuple(str(w) for w in n.get("setting") or ()),
            bool(n.get("body", False)),
            tuple(str(w) for w in n.get("when") or ()),
            tuple(str(w) for w in n.get("with") or ()),
        )
        for n in raw.get("needs") or ()
    ]
    return (
        needs,
        [str(w) for w in raw.get("elsewhere") or ()],
        [str(w) for w in raw.get("generic") or ()],
    )


def _words(phrase: str) -> tuple[frozenset[str], ...]:
    # A one-kana reading (み for 見る) would match too much; the spelling must do then.
    return tuple(
        frozenset(f for f in w if len(f) > 1 or not ("ぁ" <= f <= "ゖ"))
        for w in analyzer().analyze(phrase).words
    )


class NeedReader:
    def __init__(self, needs: list[Need], elsewhere: list[str], generic: list[str] = ()):
        a = analyzer()
        self.needs = {n.id: n for n in needs}
        self._phrases = [
            (need, phrase, _words(phrase), slip_fold(a.analyze(phrase).reading))
            for need in needs
            for phrase in need.says
        ]
        self._negated = {
            phrase for _, phrase, _, reading in self._phrases if NEGATED.search(reading)
        }
        # A phrase is said by its words only if its first word is in the question: the phrases
        # by each form of their first word, so a question looks at a handful, not all of them
        # (reading every phrase was most of the search's CPU once the vocabulary grew).
        self._by_first: dict[str, list[int]] = {}
        for i, (_, _, words, _) in enumerate(self._phrases):
            for form in words[0] if words else ():
                self._by_first.setdefault(form, []).append(i)
        self._elsewhere = [_words(w) for w in elsewhere]
        # Words that say what kind of help is wanted, not what for (bot.knowledge.fits).
        self.generic = frozenset(f for w in generic for word in _words(w) for f in word)
        # …of which those that are no part of a kind of service a need looks for (相談 is in
        # 子育て相談, 助成 in 医療費助成) count little in the ranking.
        sought = frozenset(f for n in needs for w in n.look_for for word in _words(w) for f in word)
        self.quiet = self.generic - sought
        self._settings = {
            n.id: frozenset(f for w in n.setting for word in _words(w) for f in word)
            for n in needs
            if n.setting
        }
        # The kinds of service precise needs look for, each as its words (保育園, 一時預かり).
        self._services = {_words(w) for n in needs if not n.context for w in n.look_for} - {()}
        self._when = [
            (n, [(w, _words(w)) for w in n.when], [_words(w) for w in n.ill])
            for n in needs
            if n.when
        ]

    def focus(self, said: list[Said]) -> tuple[list[Said], frozenset[str]]:
        """``focus`` with the situation and the setting: a life event said beside a precise need
        is the family's situation (its kinds of service are not looked for); a need said only
        inside another's longer phrase is dropped; the places a need names as where it arises
        count little, and needs said only by them are dropped."""
        said, around = focus(said)
        # A need said only by words of a longer phrase of another (お金 in お金がかからない,
        # ひとり in ひとり親); light verbs (なる, する) do not count.
        words = {id(s): s.covered - STOP_TERMS for s in said}

        def inside(s: Said, o: Said) -> bool:
            mine, theirs = words[id(s)], words[id(o)]
            if not mine or not within(mine, theirs) or within(theirs, mine):
                return False
            # A life event shares whole words with a precise need (知り合いがいない after
            # 引っ越し) without swallowing it; only pieces of its words (ひとり of ひとり親) are.
            return not o.need.context or not mine & theirs

        said = [s for s in said if not any(o is not s and inside(s, o) for o in said)]
        if any(not s.need.context and s.need.weight >= 1 for s in said):
            said = [s for s in said if not s.need.context]
        setting = frozenset().union(*(self._settings.get(s.need.id, frozenset()) for s in said))
        if setting:
            said = [
                s
                for s in said
                if s.need.occasion or s.need.setting or not within(s.covered, setting)
            ]
        return said, around | setting

    def situation(self, asked_for: list[Said], question: Analysis) -> bool:
        """Whether only life events are asked for while the question names a kind of service
        outright, in words of its own (「3月に引っ越してくる、保育園は？」): the service is what
        is asked for then, the event the family's situation (its kinds count less)."""
        if not asked_for or not all(s.need.context for s in asked_for):
            return False
        own = question.forms - frozenset().union(*(s.covered for s in asked_for))
        return any(all(word & own for word in service) for service in self._services)

    @classmethod
    def from_data(cls, raw: Mapping | None) -> NeedReader:
        return cls(*parse(raw))

    def read(self, question: Analysis, whole: Analysis | None = None) -> list[Said]:
        """The needs a question states, each by its longest phrase found; ``whole``: the
        question before its facets were taken out (週末, 日曜 say when a need arises too)."""
        found: dict[str, Said] = {}
        reading = slip_fold(question.reading)
        says_not = bool(NEGATION.search(question.reading))
        phrases = self._phrases
        if question.kanji:  # read by words only: just the phrases whose first word is here
            by_first = self._by_first
            hits = sorted({i for form in question.forms for i in by_first.get(form, ())})
            phrases = [self._phrases[i] for i in hits]
        for need, phrase, words, phrase_reading in phrases:
            if phrase in self._negated and not says_not:
                continue
            if words and all(w & question.forms for w in words):
                covered = frozenset().union(*(w & question.forms for w in words))
            elif (
                # by sound only when typed in kana: a reading runs across words (愚痴を聞いて
                # reads ぐちおきいて, which holds 大きい)
                not question.kanji
                and len(phrase_reading) >= MIN_READING
                and phrase_reading in reading
            ):
                covered = frozenset()
            else:
                continue
            before = found.get(need.id)
            if before is None:
                found[need.id] = Said(need, phrase, covered)
            else:  # named by its longest phrase; every phrase's words are covered
                longest = phrase if len(phrase) > len(before.phrase) else before.phrase
                found[need.id] = Said(need, longest, before.covered | covered)
        self._timed(found, whole or question)
        return list(found.values())

    def _timed(self, found: dict[str, Said], question: Analysis) -> None:
        """Needs said by a time (夜中, 休日) and an illness (熱) together."""
        forms = question.forms

        def says(words: tuple[frozenset[str], ...]) -> bool:
            return bool(words) and all(w & forms for w in words)

        for need, when, ill in self._when:
            if need.id in found or not any(says(words) for words in ill):
                continue
            hit = next(((w, words) for w, words in when if says(words)), None)
            if hit is not None:
                covered = frozenset().union(*(w & forms for w in hit[1]))
                found[need.id] = Said(need, hit[0], covered)

    def elsewhere(self, question: Analysis) -> bool:
        """Whether the question is about a topic another office handles (ペット, 住民票 …)."""
        return any(words and all(w & question.forms for w in words) for words in self._elsewhere)


def focus(said: list[Said]) -> tuple[list[Said], frozenset[str]]:
    """The needs that say what is wanted, and the words that only name the occasion.

    「歯医者に行く間、預かってほしい」: the dentist is the errand, care is what is asked for. An
    occasion need (``occasion: true``, the errands) said with another need that looks for the
    same kinds of service (care) makes its words context: needs said only by them (歯医者 →
    teeth) are dropped and the caller counts those words little. Said with needs that look for
    something else (「病院に行くべき？」), the errand reading is dropped instead; said alone
    (「美容院に行きたい」), it is what is asked about."""
    occasions = [s for s in said if s.need.occasion]
    rest = [s for s in said if not s.need.occasion]
    if not occasions or not rest:
        return said, frozenset()
    wanted = {k for s in occasions for k in s.need.look_for}
    if not any(wanted & set(s.need.look_for) for s in rest):
        return rest, frozenset()
    around = frozenset().union(*(s.covered for s in occasions))
    kept = [s for s in said if s.need.occasion or not (s.covered and within(s.covered, around))]
    return kept, around


def within(forms: frozenset[str], around: frozenset[str]) -> bool:
    """Whether every form is one of ``around`` or a piece of one (歯 of 歯医者)."""
    return all(any(f in a for a in around) for f in forms)


def unrelated(
    question: Analysis, said: list[Said], known: Callable[[str], bool], reader: NeedReader | None
) -> bool:
    """Whether a question is about something the guide does not cover: a topic another office
    handles, or only words the data never uses (kana-only words do not count: they may be slips
    the bigrams still find; words for the child count as known)."""
    if reader is not None and reader.elsewhere(question):
        return True
    covered = frozenset().union(*(s.covered for s in said)) | CHILD_WORDS
    found = unknown = 0
    for word in question.words:
        if not word - STOP_TERMS:
            continue
        if word & covered or any(known(f) for f in word):
            found += 1
        elif not all(is_kana(f) for f in word):
            unknown += 1
    return unknown > 0 and found == 0


def vague(question: Analysis, said: list[Said]) -> Need | None:
    """The need to ask about when the question says nothing but one need that has a question
    (「子どもを預けたい」)."""
    if len(said) != 1 or not said[0].need.ask:
        return None
    covered = said[0].covered
    for word in question.words:
        if word - STOP_TERMS and not word & covered and not word & CHILD_WORDS:
            return None
    return said[0].need


def is_kana(text: str) -> bool:
    return all("ぁ" <= c <= "ゖ" or c == "ー" for c in text)
