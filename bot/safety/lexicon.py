"""The danger check's vocabulary, read from the YAML files in bot/safety/lexicon/.

The files are data a city can read and extend: who is who (words.yaml), the grammar words
(negation, hypotheticals, topics), and one file per family of warning signs, each kind with its
category, tier and entries. Every Japanese entry is run through Sudachi when loaded, so an entry
is known by its normalized form *and* its reading: 触る matches 触る, さわる and サワル; 食べさせる
becomes 食べる with させる required after it. A city may add files to the folder (or point
`BOT_SAFETY_LEXICON` at another folder of the same shape).

Entry syntax in `phrases`, `acts`, `signs` (space between slots, `/` between alternatives):

    御飯/食事/ミルク 上げる/与える+ない     both slots in one sentence; the last is the head,
                                               whose own endings must include ない
    $partner 暴れる/怒鳴る                   $group: any word of that group (words.yaml)
    {p: 死ぬ 楽+仮定形, tier: crisis}          a dict adds settings for that entry
    吐く/眠る/泣く+ない/様子                   an ending inside a slot binds to its own word only
                                               (at the slot's end it binds to all, as above)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from bot.safety.analysis import Token, normalise, to_hiragana, tokens_of

FOLDER = Path(__file__).parent / "lexicon"
TIERS = ("concern", "crisis", "emergency")  # least to most urgent
CATEGORIES = ("child_abuse", "dv", "suicide", "medical")


@dataclass(frozen=True)
class Word:
    """A lexicon word: its content tokens in order (lemma, reading) and the endings it needs."""

    parts: tuple[tuple[str, str], ...]
    # Endings required after the head, each a set of alternatives: 死ぬ+たい, 息+止まる|ない|弱い
    tail: tuple[frozenset[str], ...] = ()

    def tail_in(self, endings: set[str]) -> bool:
        return all(group & endings for group in self.tail)

    @property
    def tail_words(self) -> frozenset[str]:
        return frozenset().union(*self.tail) if self.tail else frozenset()

    def match_at(self, sent: list[Token], i: int) -> int | None:
        """The index of the last content token when the word starts at i, else None."""
        for k, (lemma, reading) in enumerate(self.parts):
            if i + k >= len(sent) or not _same(sent[i + k], lemma, reading):
                return None
        return i + len(self.parts) - 1


def _same(t: Token, lemma: str, reading: str) -> bool:
    if t.lemma == lemma or t.base == lemma:
        return True
    if len(reading) < 2 or t.pos.startswith(("助詞", "助動詞", "補助記号")):
        return False  # the particle て is never 手, the ending で never 出る
    # Readings only for kana words the dictionary could not resolve to a lemma of their own:
    # 「さわる」 is 触る, but 「い」 that Sudachi read as 居る is never 要る.
    return (
        t.is_kana
        and bool(reading)
        and all(not "一" <= c <= "鿿" for c in t.lemma)
        and (t.base == reading or to_hiragana(t.lemma) == reading)
    )


_PREFIX = ("接頭辞",)
_AUX = ("助動詞", "接尾辞-動詞", "接尾辞-形容詞", "形状詞-助動詞語幹", "助詞-接続助詞")


@cache
def word(entry: str) -> Word:
    """An entry (「叩く」「食べさせる」「産後うつ」「食べる+させる」) as a Word."""
    text, *required = normalise(entry).split("+")
    parts: list[tuple[str, str]] = []
    tail = [frozenset().union(*(_ending(a) for a in group.split("|"))) for group in required]
    tokens = tokens_of(text)
    if tokens and tokens[0].pos.startswith(("助詞", "助動詞")) and len(text) > 1:
        # Sudachi cannot read the entry (じゃれる → じゃ+れる): keep it whole, as written.
        return Word(((text, to_hiragana(text)),), tuple(tail))
    for n, t in enumerate(tokens):
        if parts and (t.pos.startswith(_AUX) or t.pos.startswith("動詞-非自立可能")):
            # 食べさせる: させる is an ending, not a part
            tail += [frozenset({x.lemma}) for x in tokens[n:]]
            break
        if t.pos.startswith(_PREFIX) and n + 1 < len(tokens):
            continue  # お風呂 is 風呂, ご飯 is 御飯 either way
        parts.append((t.lemma, _dictionary_reading(t)))
    return Word(tuple(parts), tuple(tail))


def _ending(text: str) -> frozenset[str]:
    """An ending as the rules see it: a conjugation form (仮定形) as written, a word as written
    and by lemma (ない is also 無い)."""
    if text.endswith("形"):
        return frozenset({text})
    if text in ("ない", "無い"):  # 反応せん, 止まらへん, 息をせず: any negation will do
        return frozenset({"ない", "無い", "ず", "ぬ", "へん", "ひん"})
    tokens = tokens_of(text)
    return frozenset({text, tokens[0].lemma, tokens[0].base} if len(tokens) == 1 else {text})


def _dictionary_reading(t: Token) -> str:
    """The hiragana reading of a token's dictionary form (たたく for 叩い)."""
    if t.surface == t.base or to_hiragana(t.surface) == t.base:
        return t.reading
    return "".join(x.reading for x in tokens_of(t.base)) or t.reading


def keys_of(t: Token) -> set[str] | frozenset[str]:
    """What a token may be looked up by: its lemma and dictionary form, and for kana its
    reading (matching `_same`)."""
    if t.keys:
        return t.keys
    keys = {t.lemma, t.base}
    if t.is_kana:
        keys.add(to_hiragana(t.lemma))
    return keys


def sentence_keys(sent: list[Token]) -> frozenset[str]:
    return frozenset().union(*(keys_of(t) for t in sent)) if sent else frozenset()


def _absent(index: dict, sent: list[Token]) -> bool:
    """No token of the sentence can start one of the words: nothing to look for."""
    return all(index.keys().isdisjoint(keys_of(t)) for t in sent)


@dataclass(frozen=True)
class Words:
    """A set of lexicon words; `find` gives where they occur in a sentence. Words are indexed
    by their first part, so a sentence is checked by a few dictionary look-ups per token."""

    words: tuple[Word, ...]
    index: dict[str, tuple[Word, ...]] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        index: dict[str, list[Word]] = {}
        for w in self.words:
            lemma, reading = w.parts[0] if w.parts else ("", "")
            for key in {lemma, reading} - {""}:
                index.setdefault(key, []).append(w)
        self.index.update({k: tuple(v) for k, v in index.items()})

    def could_be_in(self, keys: frozenset[str]) -> bool:
        return not self.index.keys().isdisjoint(keys)

    def _candidates(self, t: Token) -> set[Word]:
        found: set[Word] = set()
        for key in keys_of(t):
            found.update(self.index.get(key, ()))
        return found

    def find(self, sent: list[Token]) -> list[tuple[int, int, Word]]:
        """(start, head index, word) of each occurrence."""
        hits: list[tuple[int, int, Word]] = []
        if _absent(self.index, sent):
            return hits
        for i, t in enumerate(sent):
            if _helper(sent, i):
                continue  # 息をしていない: the い of ている is no 居る (子供がいない)
            for w in self._candidates(t):
                end = w.match_at(sent, i)
                if end is not None:
                    hits.append((i, end, w))
        return hits

    def at(self, sent: list[Token], i: int) -> Word | None:
        """The word whose last part is token i (one-token words, and compounds ending at i)."""
        for start in range(max(0, i - 3), i + 1):
            for w in self._candidates(sent[start]):
                if w.match_at(sent, start) == i:
                    return w
        return None

    def has(self, t: Token) -> bool:
        """Whether a single token is one of the words (one-part words only)."""
        return any(len(w.parts) == 1 and w.match_at([t], 0) == 0 for w in self._candidates(t))

    def any_in(self, sent: list[Token]) -> bool:
        if _absent(self.index, sent):
            return False
        return any(self.has(t) for t in sent) or bool(self.find(sent))

    def __bool__(self) -> bool:
        return bool(self.words)


def _helper(sent: list[Token], i: int) -> bool:
    """A helper verb after て/で (している, してしまう, してくる): part of the verb before it."""
    return (
        i > 0
        and sent[i].pos.startswith(("動詞-非自立可能", "形容詞-非自立可能"))
        and sent[i - 1].pos.startswith("助詞-接続助詞")
        and sent[i - 1].lemma in ("て", "で")
    )


def words_of(entries) -> Words:
    out: list[Word] = []
    for e in entries or ():
        w = word(str(e))
        out.append(w)
        text = normalise(str(e)).split("+")[0]
        if w.parts != ((text, w.parts[0][1]),) if w.parts else True:
            # The entry as written too: おまた is one word in a message, お+また in the entry.
            out.append(Word(((text, to_hiragana(text)),), w.tail))
    return Words(tuple(out))


@dataclass(frozen=True)
class Pattern:
    """Slots that must all occur in one sentence; the last is the head, whose endings decide
    negation and hypotheticals. Settings override the kind's tier, urgency and so on."""

    slots: tuple[Words, ...]
    tier: str | None = None
    urgent: bool = False
    lethal: bool = False
    kind: str | None = None  # a finding of another kind (e.g. witnessed_dv within dv)
    needs: str | None = None  # a regex the sentence's hiragana reading must match
    victim: str = "を"  # the case of the one harmed: を (叩く), に (言う, 怒鳴る)
    actor: str = ""  # "other": only when someone other than the speaker does it (体を触る)
    not_with: tuple[str, ...] = ()  # word groups (written a/b) none may be in the sentence
    unnamed: bool = True  # False: with no one named, only a confession counts (手を上げる)
    owned: bool = False  # True: a body part counts only as a person's (子どもの頭をぶつける)
    source: str = ""


def pattern(entry, groups: dict[str, list] | None = None) -> Pattern:
    settings = dict(entry) if isinstance(entry, dict) else {"p": entry}
    text = str(settings.pop("p"))
    slots = []
    for slot in text.split():
        items = slot.split("/")
        if any("+" in item for item in items[:-1]):
            # 吐く/眠る/泣く+ない/様子: an ending written inside the slot binds to its word only
            pairs = [item.partition("+") for item in items]
            items = [a for a, _, _ in pairs]
            tails = [plus + required for _, plus, required in pairs]
        else:
            alternatives, plus, required = slot.partition("+")  # 上げる/与える+ない: both
            items = alternatives.split("/")
            tails = [plus + required] * len(items)
        expanded: list[str] = []
        for a, t in zip(items, tails, strict=True):  # $partner: every word of that group
            group = (groups or {})[a[1:]] if a.startswith("$") else [a]
            expanded += [str(g) + t for g in group]
        slots.append(words_of(expanded))
    # The head is the slot whose endings are asked for (風呂 入れる+ない 何日: 入れる), else the
    # last one; it goes last, where the rules look for it.
    with_tail = [n for n, slot in enumerate(slots) if any(w.tail for w in slot.words)]
    if with_tail:
        slots.append(slots.pop(with_tail[-1]))
    if "not_with" in settings:  # parsed once here, not at every match
        settings["not_with"] = tuple(str(settings["not_with"]).split("/"))
    return Pattern(slots=tuple(slots), source=text, **settings)


@dataclass(frozen=True)
class Kind:
    """One kind of warning sign: what it is called, where it belongs, and its entries."""

    name: str
    category: str | None  # one of CATEGORIES, or None (a concern about the parent's wellbeing)
    tier: str
    acts: tuple[Pattern, ...] = ()  # harm done by someone to someone: roles decide the kind
    phrases: tuple[Pattern, ...] = ()  # the sign itself, said by the parent
    signs: tuple[Pattern, ...] = ()  # what a neighbour or other third party sees in a child
    readings: tuple[str, ...] = ()  # regexes on the hiragana reading (the analyser's net)
    urgent: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Everything the rules read: role and grammar word sets by name, and the kinds."""

    groups: dict[str, Words]
    kinds: dict[str, Kind]
    english: dict = field(default_factory=dict)
    languages: dict = field(default_factory=dict)  # pt_BR, vi, zh_Hans phrases (languages.py)
    # Each group as a flat set of lemmas and readings, for intersecting with a word's endings.
    flat: dict[str, frozenset[str]] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Words:
        return self.groups[name]


def _kind(name: str, spec: dict, groups: dict[str, list]) -> Kind:
    category = spec.get("category")
    tier = spec.get("tier", "crisis")
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"lexicon kind {name}: unknown category {category!r}")
    if tier not in TIERS:
        raise ValueError(f"lexicon kind {name}: unknown tier {tier!r}")
    return Kind(
        name=name,
        category=category,
        tier=tier,
        acts=tuple(pattern(e, groups) for e in spec.get("acts") or ()),
        phrases=tuple(pattern(e, groups) for e in spec.get("phrases") or ()),
        signs=tuple(pattern(e, groups) for e in spec.get("signs") or ()),
        readings=tuple(str(r) for r in spec.get("readings") or ()),
        urgent=bool(spec.get("urgent", False)),
    )


def _flat(entries) -> frozenset[str]:
    """Grammar words as endings are compared: as written, and by lemma and dictionary form when
    the entry is one token (なら stays なら, not だ; ない is also 無い)."""
    out: set[str] = set()
    for entry in entries or ():
        text = normalise(str(entry))
        out.add(text)
        tokens = tokens_of(text)
        if len(tokens) == 1 and tokens[0].base == to_hiragana(text):  # なら is not だ
            out |= {tokens[0].lemma, tokens[0].base}
    return frozenset(out)


def folder() -> Path:
    return Path(os.environ.get("BOT_SAFETY_LEXICON") or FOLDER)


def raw_files(path: Path | None = None) -> dict[str, dict]:
    """Each YAML file of the lexicon folder, parsed, by file name."""
    path = path or folder()
    return {
        f.name: yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        for f in sorted(path.glob("*.yaml"))
    }


@cache
def lexicon() -> Lexicon:
    """The lexicon of this process, read once."""
    groups: dict[str, Words] = {}
    flat: dict[str, frozenset[str]] = {}
    kinds: dict[str, Kind] = {}
    english: dict = {}
    languages: dict = {}
    raw: dict[str, list] = {}
    files = raw_files()
    for data in files.values():  # groups first: any kind may name any group as {group}
        for group, entries in (data.get("groups") or {}).items():
            raw[group] = raw.get(group, []) + list(entries or ())
    for group, entries in raw.items():
        groups[group] = words_of(entries)
        flat[group] = _flat(entries)
    for name, data in files.items():
        for kind_name, spec in (data.get("kinds") or {}).items():
            if kind_name in kinds:
                raise ValueError(f"{name}: kind {kind_name} is defined twice")
            kinds[kind_name] = _kind(kind_name, spec, raw)
        if "english" in data:
            english = data["english"]
        languages |= data.get("languages") or {}
    return Lexicon(groups=groups, kinds=kinds, english=english, flat=flat, languages=languages)
