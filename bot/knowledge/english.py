"""English words in their other forms: a light stem, the same for a word's forms (move, moves,
moved, moving), so that the multilingual vocabulary's English phrases are found however a
parent inflects them (bot.knowledge.multilingual)."""

from __future__ import annotations

import re

WORD = re.compile(r"[a-z]+")
_VOWEL = re.compile(r"[aeiouy]")


def stem(word: str) -> str:
    """A light English stem, the same for a word's forms: 「moving」「moved」「moves」「move」 →
    mov, 「cries」「cried」 → cry, 「running」 → run. Short words are kept as they are."""
    if len(word) <= 3:
        return word
    for suffix, to in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        base = word[: -len(suffix)] + to
        if word.endswith(suffix) and len(base) >= 3 and _VOWEL.search(base):
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break  # class, bus, this: not a plural
            word = base
            if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # running → run, stopped → stop (but falling → fall)
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def stem_text(text: str) -> str:
    """The text with each English word stemmed, padded with NULs to its length (so that a
    span in it is the same span in the text)."""
    return WORD.sub(lambda m: stem(m[0]).ljust(len(m[0]), "\0"), text)


def plural(phrase: str) -> bool:
    """A phrase with a plural (kids, books): its singular is another word often enough (a kid
    is any child, to book is to reserve) that only the plural as written is looked for."""
    return any(w.endswith("s") and stem(w) != w for w in WORD.findall(phrase))


def stem_pattern(phrase: str, letter: str) -> re.Pattern:
    """A phrase as a pattern on stemmed text: each word by its stem, then any padding."""
    parts, at = [], 0
    for m in WORD.finditer(phrase):
        parts += [re.escape(phrase[at : m.start()]), re.escape(stem(m[0])) + "\0*"]
        at = m.end()
    parts.append(re.escape(phrase[at:]))
    return re.compile(rf"(?<!{letter})" + "".join(parts) + rf"(?!{letter})")
