"""English messages: a small rule set of its own, read from the `english:` part of the lexicon.

Words are reduced to crude stems (hitting, hits, hit → hit; shaking, shook, shaken → shak) on
both sides, so one entry covers its forms without a model. A rule is a pattern of stems with
`{group}` for a word group, `a|b` for alternatives, `a_b` for the words a b together and `...`
for up to four words between. A match is dropped when a negation or an `if` stands just before
it (「I would never hit my son」), or when the message is about a topic (a seminar, prevention,
the news); a harm that the speaker fears or feels the urge to do becomes the fear of harming,
a concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.safety.lexicon import lexicon
from bot.safety.rules import Finding

CONTRACTIONS = (
    ("won't", "will not"),
    ("can't", "can not"),
    ("cannot", "can not"),
    ("n't", " not"),
    ("'m", " am"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'d", " would"),
)
# The same, typed without the apostrophe (as phones and tired thumbs do): dont, cant, im.
BARE = {
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not",
    "wont": "will not", "wouldnt": "would not", "couldnt": "could not", "shouldnt": "should not",
    "isnt": "is not", "arent": "are not", "wasnt": "was not", "werent": "were not",
    "havent": "have not", "hasnt": "has not", "hadnt": "had not", "aint": "am not",
    "im": "i am", "ive": "i have", "youre": "you are", "theyre": "they are", "hes": "he is",
    "shes": "she is", "thats": "that is", "theres": "there is", "whats": "what is",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "cannot": "can not",
    "idk": "i do not know", "u": "you", "ur": "your", "bc": "because", "cuz": "because",
}  # fmt: skip
_BARE = re.compile(r"\b(" + "|".join(BARE) + r")\b")
_WORD = re.compile(r"[a-z]+(?:'s)?")


def stem(word: str) -> str:
    """A crude stem: the same for a word's forms, not necessarily a real word."""
    word = _irregular().get(word, word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # hitt → hit, slapp → slap
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


@cache
def _irregular() -> dict[str, str]:
    return {k: v for k, v in (lexicon().english.get("irregular") or {}).items()}


def stems(text: str) -> str:
    """The text as one space-separated string of stems."""
    text = text.lower().replace("’", "'")
    for short, long in CONTRACTIONS:
        text = text.replace(short, long)
    text = _BARE.sub(lambda m: BARE[m.group(1)], text)
    return " ".join(stem(w.removesuffix("'s")) for w in _WORD.findall(text))


@dataclass(frozen=True)
class Rule:
    kind: str
    category: str | None
    tier: str
    regex: re.Pattern
    negatable: bool = True  # False when the negation is the sign itself (not breathing)
    real: bool = False  # True: an "if" before it is part of the sign (if i go, i take him)
    fear: bool = False  # a feared harm becomes fear_of_harm
    urgent: bool = False
    context: str = ""  # "third_party": counts only when another family is spoken of
    harm_first: bool = False  # the rule begins with the harm: a child just before did it


def _compile(pattern: str, groups: dict[str, list[str]]) -> re.Pattern:
    out = []
    for token in pattern.split():
        if token in ("...", "...."):  # up to four words between, or up to ten
            out.append(r"(?:\S+ ){0,4}?" if token == "..." else r"(?:\S+ ){0,10}?")
            continue
        alternatives = []
        for alt in token.split("|"):  # {group} stands for its words; a_b is the words a b
            if alt.startswith("{"):
                alternatives += groups[alt.strip("{}")]
            else:
                alternatives.append(alt.replace("_", " "))
        stems_ = sorted({stems(a) for a in alternatives} - {""}, key=len, reverse=True)
        out.append("(?:" + "|".join(re.escape(s) for s in stems_) + ") ")
    return re.compile(r"(?:^| )" + "".join(out).rstrip(" ") + r"(?= |$)")


@cache
def rules() -> tuple[Rule, ...]:
    spec = lexicon().english
    groups = spec.get("groups") or {}
    kinds = lexicon().kinds
    compiled = []
    for entry in spec.get("rules") or ():
        kind = entry["kind"]
        known = kinds.get(kind)
        compiled.append(
            Rule(
                kind=kind,
                category=entry.get("category", known.category if known else None),
                tier=entry.get("tier", known.tier if known else "crisis"),
                regex=_compile(entry["p"], groups),
                negatable=entry.get("negatable", True),
                real=entry.get("real", False),
                fear=entry.get("fear", False),
                urgent=entry.get("urgent", False),
                context=entry.get("context", ""),
                harm_first=entry.get("negatable", True)
                and not entry["p"].startswith(("{adult}", "{partner}", "{child}")),
            )
        )
    return tuple(compiled)


@cache
def _word_set(name: str) -> frozenset[str]:
    return frozenset(stems(w) for w in lexicon().english.get(name) or ())


def _before(text: str, start: int, n: int) -> set[str]:
    return set(text[:start].split()[-n:])


def assess_english(text: str) -> tuple[list[Finding], bool, bool]:
    """(findings, now, lethal) for a message's English words."""
    text = stems(text)
    padded = f" {text} "
    if not text or set(text.split()) & _word_set("topic"):
        return [], False, False
    if any(f" {p} " in padded for p in _word_set("asking")):
        return [], False, False  # where can i report child abuse: a question, no case
    third_party = any(f" {w} " in padded for w in _word_set("third_party"))  # next door too
    found: list[Finding] = []
    for rule in rules():
        if rule.context == "third_party" and not third_party:
            continue
        for m in rule.regex.finditer(text):
            before = _before(text, m.start(), 4)
            feared = bool(_before(text, m.start(), 6) & _word_set("fear"))
            if rule.fear and feared:
                found.append(Finding("fear_of_harm", "child_abuse", "concern"))
                break
            if (not rule.real and _before(text, m.start(), 6) & _word_set("unreal")) or (
                rule.negatable and before & _word_set("negation")
            ):
                continue
            among_children = before & _word_set("child_actor")
            if rule.harm_first and rule.kind == "physical_abuse" and among_children:
                continue  # my son bites other kids: children among themselves
            found.append(Finding(rule.kind, rule.category, rule.tier, rule.urgent))
            if rule.context == "third_party":
                found.append(Finding("report", "child_abuse", "crisis"))
            break
    now = any(f" {w} " in padded for w in _word_set("now"))
    lethal = any(f" {w} " in padded for w in _word_set("lethal"))
    return found, now, lethal


@cache
def _child_words() -> frozenset[str]:
    groups = lexicon().english.get("groups") or {}
    return frozenset(stems(w) for w in groups.get("child") or ())


def names_child(text: str) -> bool:
    """Whether an English message speaks of a child (my baby, the kids): a DV or suicide
    message that does is given the child's lines too, as a Japanese one is."""
    padded = f" {stems(text)} "
    return any(f" {w} " in padded for w in _child_words())
