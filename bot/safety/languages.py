"""Messages in Brazilian Portuguese, Vietnamese and Simplified Chinese: the danger phrases of
lexicon/languages.yaml.

The Japanese rules read who does what to whom and the English ones read stems; for these three
languages each kind of warning sign is a list of phrases (data a city extends), read with accents
optional, and dropped when a negation stands just before it. As in Japanese, `now` (agora, bây
giờ, 现在) and `lethal` (ponte, cầu vượt, 桥上) raise a crisis to an emergency (`combine`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from bot.safety.lexicon import lexicon
from bot.safety.rules import Finding

SPACED = ("pt_BR", "vi")  # words between spaces; Chinese is read character by character
# Kinds a parent asks about in advance (a febrile seizure, a car in summer, low mood after birth)
ASKED_BEFOREHAND = frozenset({"medical", "scald", "left_in_a_car", "postnatal_mood"})
_PUNCT = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case, no accents (đ as d), punctuation as single spaces: 「Não aguento MAIS!」 and
    「nao aguento mais」 read alike, as 「muốn chết」 and 「muon chet」 do."""
    text = unicodedata.normalize("NFKD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", text).split())


@dataclass(frozen=True)
class Phrases:
    language: str
    regexes: tuple[re.Pattern, ...]  # each must be said (`together`); one for a phrase list
    finding: Finding
    child: bool  # the kind is about a child (the child's lines are given too)


def _pattern(phrase: str, spaced: bool, spellings: dict[str, list[str]]) -> str:
    parts = [fold(p) for p in phrase.split("...")]
    # A gap is a group of its own: a negation in it drops the match (ele nunca me bateu).
    if spaced:
        words = [r"\s+".join(_spelt(w, spellings) for w in p.split()) for p in parts]
        return r"(?<!\S)" + r"((?:\s+\S+){0,4})\s+".join(words) + r"(?!\S)"
    return "(.{0,6})".join(re.escape(p.replace(" ", "")) for p in parts)


def _spelt(word: str, spellings: dict[str, list[str]]) -> str:
    """A word as parents type it on a phone: 「não」 also n, 「você」 vc, 「không」 ko, 「chồng」
    ck (the language's `spellings`)."""
    return "(?:" + "|".join(map(re.escape, [word, *spellings.get(word, ())])) + ")"


def _words(entries, spaced: bool, spellings: dict[str, list[str]]) -> re.Pattern | None:
    entries = [e for e in entries or () if fold(str(e))]
    if not entries:
        return None
    return re.compile("|".join(_pattern(str(e), spaced, spellings) for e in entries))


@cache
def _tables() -> tuple[list[Phrases], dict[str, dict[str, re.Pattern | None]]]:
    data = lexicon().languages
    signs = {}
    spellings: dict[str, dict[str, list[str]]] = {}
    for language, spec in data.items():
        if language == "kinds":
            continue
        spaced = language in SPACED
        spellings[language] = {
            fold(word): [fold(a) for a in alternates]
            for word, alternates in (spec.get("spellings") or {}).items()
        }
        groups = ("negation", "now", "lethal", "child", "topic", "prevention", "idioms")
        signs[language] = {g: _words(spec.get(g), spaced, spellings[language]) for g in groups}
    phrases = []
    for name, spec in (data.get("kinds") or {}).items():
        finding = Finding(name, spec.get("category"), spec["tier"], bool(spec.get("urgent")))
        child = bool(spec.get("child"))
        for language in signs:
            spaced = language in SPACED
            regex = _words(spec.get(language), spaced, spellings[language])
            if regex is not None:
                phrases.append(Phrases(language, (regex,), finding, child))
            # who and what, anywhere in the message: a teacher … hitting, a husband … the passport
            lists = (spec.get("together") or {}).get(language, ())
            together = [_words(words, spaced, spellings[language]) for words in lists]
            if together and None not in together:
                phrases.append(Phrases(language, tuple(together), finding, child))
    return phrases, signs


_KANA = re.compile(r"[\u3041-\u30ff\uff66-\uff9f]")
_LATIN = re.compile(r"[a-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _bodies(text: str) -> dict[str, str]:
    """The message as each language's phrases read it, folded once — and only the languages
    whose script it holds: every message passes here, most of them Japanese, which meet no
    Portuguese phrase. Chinese shares its characters with Japanese (溺水, 救命): a text with kana
    is Japanese, read by the Japanese rules only."""
    folded = fold(text)
    spaced = bool(_LATIN.search(folded))
    han = not _KANA.search(text) and bool(_HAN.search(folded))
    joined = folded.replace(" ", "")
    _, signs = _tables()
    bodies = {
        language: folded if language in SPACED else joined
        for language in signs
        if (spaced if language in SPACED else han)
    }
    for language, body in bodies.items():  # 「thèm phở muốn chết」 says very, not die
        idioms = signs[language]["idioms"]
        bodies[language] = idioms.sub(" ", body) if idioms else body
    return bodies


def _negated(text: str, m: re.Match, language: str, negation: re.Pattern | None) -> bool:
    """A negation just before the phrase (two words; Chinese: three characters) or in a gap."""
    if negation is None:
        return False
    if any(gap and negation.search(gap.strip()) for gap in m.groups()):
        return True
    if language in SPACED:
        return bool(negation.search(" ".join(text[: m.start()].split()[-2:])))
    return bool(negation.search(text[max(0, m.start() - 3) : m.start()]))


def _affirmed(body: str, regex: re.Pattern, language: str, negation: re.Pattern | None) -> bool:
    """Said at least once without a negation."""
    return any(not _negated(body, m, language, negation) for m in regex.finditer(body))


def _said(groups: dict[str, re.Pattern | None], group: str, body: str) -> bool:
    return bool(groups[group] and groups[group].search(body))


def assess_languages(text: str) -> tuple[list[Finding], bool, bool, bool]:
    """(findings, now, lethal, child named) for a message's Portuguese, Vietnamese or Chinese."""
    phrases, signs = _tables()
    bodies = _bodies(text)
    found: list[Finding] = []
    child = False
    seen: set[str] = set()
    for p in phrases:
        body = bodies.get(p.language)
        if body is None or p.finding in found or _said(signs[p.language], "topic", body):
            continue  # 「vi no jornal …」: the news, not a case
        if p.finding.kind in ASKED_BEFOREHAND and _said(signs[p.language], "prevention", body):
            continue  # 「como evitar …, quero estar preparada」
        negation = signs[p.language]["negation"]
        if all(_affirmed(body, regex, p.language, negation) for regex in p.regexes):
            found.append(p.finding)
            child |= p.child
            seen.add(p.language)
    now = any(_said(signs[x], "now", bodies[x]) for x in seen)
    lethal = any(_said(signs[x], "lethal", bodies[x]) for x in seen)
    child |= any(_said(signs[x], "child", bodies[x]) for x in seen)
    return found, now, lethal, child


def at_hand_in_languages(text: str) -> tuple[bool, bool]:
    """(now, lethal) in any of the three languages, whatever else the message says: a crisis only
    the net reads is raised on them as on the rules' own (matcher._at_hand)."""
    _, signs = _tables()
    bodies = _bodies(text)
    now = any(_said(signs[x], "now", body) for x, body in bodies.items())
    lethal = any(_said(signs[x], "lethal", body) for x, body in bodies.items())
    return now, lethal
