"""The Japanese rules: which kinds of warning sign one sentence shows.

Each kind in the lexicon has three sorts of entries, read here:

- **acts** (叩く, 首 絞める, 手 上げる, 放置): harm that someone does to someone. The mood of the
  verb (see grammar.mood) and the roles of its arguments decide: the speaker (or no one named,
  in a confession) to their child is the kind itself; a partner to the speaker is DV; an adult to
  another family's child is a report about that child; child to child, to a thing, in play,
  negated or hypothetical is nothing; feared or wished (叩いてしまいそう, 叩きたくなる) is the
  fear of harming, a concern — a crisis when the act could kill.
- **phrases** (死ぬ+たい, 御飯 上げる+ない, 可愛い 思う+ない): the sign itself as the speaker
  says it; negated, hypothetical or a topic (講座, 防止) is nothing, unless the entry itself
  asks for the negation or the condition.
- **signs** (同じ 服, 痣, 泣き叫ぶ): what a neighbour or other third party sees; they count only
  in a message that speaks of another family (隣, 近所, よその子 …).

`readings` are a net under the analyser: regexes on the sentence's hiragana reading, aligned to
token boundaries, for kana-only slips that Sudachi splits badly (いきしてない, うまなきゃよかった).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache

from bot.safety import grammar, setting
from bot.safety.analysis import Token
from bot.safety.lexicon import Kind, Lexicon, Pattern, sentence_keys

WINDOW = 16  # tokens: how far from the head the other slots of a pattern may be


@dataclass(frozen=True)
class Finding:
    """One warning sign found: its kind, its category (or None) and its tier."""

    kind: str
    category: str | None
    tier: str
    urgent: bool = False


@dataclass(frozen=True)
class Context:
    """What the whole message says that a single sentence may not."""

    third_party: bool  # another family is spoken of (隣, 近所, 友達の子 …)


def _others_near(sent: list[Token], pat: Pattern, head: int, skip: int) -> bool:
    """Whether the pattern's other slots occur within the window around the head."""
    lo, hi = max(0, head - WINDOW), head + WINDOW + 1
    for n, slot in enumerate(pat.slots):
        if n == skip:
            continue
        if not any(lo <= end < hi and end != head for _, end, _ in slot.find(sent)):
            return False
    return True


def _reading(sent: list[Token]) -> str:
    return "".join(t.reading for t in sent)


def _head_hits(sent: list[Token], pat: Pattern, keys: frozenset[str], lex: Lexicon):
    head_slot = pat.slots[-1]
    if not all(slot.could_be_in(keys) for slot in pat.slots):
        return
    if pat.needs and not _compiled(pat.needs).search(_reading(sent)):
        return
    if pat.not_with and any(lex[group].any_in(sent) for group in pat.not_with):
        return
    for _start, end, word in head_slot.find(sent):
        if _others_near(sent, pat, end, len(pat.slots) - 1):
            yield end, word


def _expected(required: frozenset[str], group: frozenset[str]) -> bool:
    return bool(required & group)


def _phrase(sent, pat: Pattern, kind: Kind, keys, lex: Lexicon) -> Finding | None:
    for i, word in _head_hits(sent, pat, keys, lex):
        at, endings = grammar.predicate(sent, i)
        if not word.tail_in(endings):
            continue
        required = word.tail_words
        # The entry's own words are no mood: 死に+たい, 上げ+ない, 居ない+方 (私なんかいない方が)
        free = endings - required - _slot_words(pat)
        mood = grammar.mood(sent, at, lex, free)
        if mood == "negated" and _expected(required, lex.flat["negation"]):
            mood = "real"
        if mood == "unreal" and (_expected(required, lex.flat["unreal"]) or "仮定形" in required):
            mood = "real"
        if mood in ("negated", "unreal"):
            continue
        if kind.category == "child_abuse" and grammar.done_by_a_child(sent, pat.slots, lex):
            continue  # 上の子が下の子を叩くのがやめられない: children among themselves
        if kind.category == "medical" and (setting.worried(sent, i) or setting.worried(sent, at)):
            continue  # 窒息が心配: a fear of what may happen (a prevention question)
        if kind.category == "suicide" and word.parts[0][0] == "死ぬ" and "そう" in free:
            continue  # 疲れすぎて死にそう: a figure of speech (死にたい is read by its own entry)
        if kind.category == "child_abuse" and free & _WISH and not grammar.passive(sent, at, lex):
            # 虐待してしまいそう, 放置したくなる: the fear of harming, not the harm
            return Finding("fear_of_harm", "child_abuse", "crisis" if pat.lethal else "concern")
        urgent = pat.urgent or kind.category == "dv" and grammar.progressive(sent, at, lex)
        return Finding(pat.kind or kind.name, kind.category, pat.tier or kind.tier, urgent)
    return None


_WISH = frozenset({"そう", "たい"})
_NOT_PLAY = ("neglect", "sexual_abuse")  # ふざけて股間を触る is no game
_PEOPLE = ("child", "other_child", "self", "partner", "body")


@cache
def _slot_words(pat: Pattern) -> frozenset[str]:
    return frozenset(w.parts[0][0] for slot in pat.slots[:-1] for w in slot.words if w.parts)


def _victim_of(sent, pat: Pattern, args: dict, lex: Lexicon):
    """For 手を上げる, 首を絞める, 体を触る: the object is a body part or an instrument, and the
    person is the に-phrase (when it names a person, not お風呂に) or the の-phrase before it
    (子供の首, 娘の体)."""
    if pat.victim == "に":  # 子供に死ねと言う, 子供に怒鳴る: the one spoken to
        return args.get("に")
    if pat.victim == "either":  # おもちゃを子どもに投げつけた, 娘を「役立たず」と責める
        for case in ("に", "を"):
            if grammar.role(args.get(case), lex) in _PEOPLE:
                return args.get(case)
        return None
    obj = args.get("を") or []
    to = args.get("に")
    if grammar.role(to, lex) in ("thing", "body"):
        # スマホに手を出す: the hand goes to a thing; お風呂で体を触る: only a place
        to = to if not pat.unnamed else None
    if len(pat.slots) > 1 and obj and pat.slots[0].any_in(obj):
        owner = [t for t in obj[:-1] if t.lemma != "の" and not t.pos.startswith("接頭辞")]
        return to or (owner or None)
    if grammar.role(obj, lex) == "body":
        return to or obj
    return obj or None


def _act(sent, pat: Pattern, kind: Kind, keys, lex: Lexicon) -> list[Finding]:
    found: list[Finding] = []
    for i, word in _head_hits(sent, pat, keys, lex):
        if word.tail and not word.tail_in(grammar.tail(sent, i)):
            continue  # 転ばせる needs its させる: 転んで is no act
        at = grammar.predicate(sent, i)[0] if sent[i].is_noun else i  # 置き去りにしないため
        mood = grammar.mood(sent, at, lex, harm=True)
        if mood in ("negated", "unreal"):
            continue
        args = grammar.arguments(sent, i - len(word.parts) + 1)  # 平手打ち: before 平手
        is_passive = grammar.passive(sent, i, lex)
        if is_passive:
            feared = mood == "feared" and "そう" in grammar.tail(sent, i)
            mood = "real" if feared else mood  # 殴られてる、どうしよう: it is happening
            actor, victim = grammar.role(args.get("に"), lex), grammar.role(args.get("が"), lex)
            if actor in (None, "thing", "body"):  # 旦那から殴られた (階段から: a place)
                by = grammar.role(args.get("から"), lex)
                actor = by if by not in (None, "thing", "body") else actor
            if victim is None and args.get("を"):
                victim = grammar.role(_victim_of(sent, pat, args, lex), lex)
            victim = victim or grammar.role(grammar.modified(sent, i), lex)  # 叩かれた子
            if (
                victim in (None, "child")
                and actor is None
                and kind.name != "sexual_abuse"
                and lex["kid_places"].any_in(sent)
                and (victim is None or lex["childrens_harm"].has(sent[i]))
            ):
                continue  # 幼稚園で噛みつかれた, 保育園で娘が噛まれた: a child among children
            if actor is None and feared:
                continue  # 仕事と育児で殺されそう: no one named, a figure of speech
            if actor == "thing" and pat.lethal:
                continue  # 子どもの笑顔に殺される: no one harms
            victim = victim or "self"
        else:
            actor = grammar.role(args.get("が"), lex)
            if actor in ("thing", "body"):
                actor = None  # イヤイヤがひどくて投げつけた: the subject is no person
            if actor is None:
                actor = grammar.role(grammar.modified(sent, i), lex)  # 叩いてくる子
                actor = actor if actor not in ("thing", "body") else None
            victim = grammar.role(_victim_of(sent, pat, args, lex), lex)
            if pat.actor == "other" and actor not in ("partner", "adult", "other_child", "peer"):
                continue  # 子供の体を触る: a parent's care, unless someone else does it
        if grammar.mutual(sent, i, lex):
            continue  # 姉妹でつねりあいのけんか: children hurting each other
        if victim is None and not pat.unnamed and not grammar.confessed(sent, i, lex):
            continue  # 元気よく手を上げる: with no one named, 手を上げる is a raised hand
        if pat.owned and victim == "body" and not _owned(args, lex):
            continue  # 転んで頭をぶつけた: one's own accident, unless a person's head is named
        verdict = _verdict(actor, victim, mood, sent, i, kind, lex)
        if verdict and (verdict == "dv" or actor in ("partner", "adult")):
            # 夫が暴れてる, 彼氏に殴られてる: violence going on now is an emergency
            pat = _urgent(pat) if grammar.progressive(sent, i, lex) else pat
        if verdict:
            tier = pat.tier or kind.tier
            if verdict == "fear_of_harm":
                # The speaker fears what they may do: a concern, unless the act could kill.
                tier = "crisis" if pat.lethal else "concern"
                found.append(Finding("fear_of_harm", "child_abuse", tier))  # not yet done
            elif verdict == "dv":
                found.append(Finding("dv", "dv", "crisis", pat.urgent))
            else:
                found.append(Finding(kind.name, "child_abuse", tier, pat.urgent or pat.lethal))
                if verdict == "report":
                    found.append(Finding("report", "child_abuse", "crisis"))
    return found


@cache
def _urgent(pat: Pattern) -> Pattern:
    return dataclasses.replace(pat, urgent=True)


def _owned(args: dict, lex: Lexicon) -> bool:
    """Whether the body part harmed is a person's: 子どもの頭, or a person as に-phrase."""
    phrase = (args.get("を") or []) + (args.get("に") or [])
    return any(lex[g].has(t) for t in phrase for g in ("child", "partner", "self", "third_party"))


def _verdict(actor, victim, mood, sent, i, kind: Kind, lex: Lexicon) -> str | None:
    """Who did what to whom, as a verdict: 'child', 'report', 'dv', 'fear_of_harm' or None."""
    if kind.name == "sexual_abuse" and actor in ("other_child", "peer") and victim != "self":
        return "report"  # 近所のお兄さんに脱がされた: sexual harm by an older child counts
    if actor == "peer" and victim in ("child", None) and lex["witness"].any_in(sent[i:]):
        return "report"  # 友達が自分の子を蹴ってるのを見た: a parent's friend is an adult
    if kind.name == "neglect" and actor in ("child", "other_child"):
        actor, victim = None, victim or actor  # 子どもが病気でもほったらかし: the child is left
    if actor in grammar.CHILDREN:
        return None  # children among themselves, or a child hitting the parent
    if victim in ("thing", "peer"):
        return None
    if victim == "other_child":
        return "report"
    if victim in ("self", "partner"):
        # Harm to the speaker or between partners: DV (neglect acts have no adult victim).
        return "dv" if kind.name != "neglect" and mood != "feared" else None
    child_named = victim == "child" or any(lex["child"].has(t) for t in sent)
    if victim is None and actor == "partner":
        # パパがおまたを触る (a child's words): sexual harm with a child in the sentence is to
        # the child; otherwise a partner's harm with no one named is to the speaker.
        return "child" if kind.name == "sexual_abuse" and child_named else "dv"
    if mood == "feared":
        if actor in ("partner", "adult"):
            return "child"  # 夫が子供を殴りそう: someone else's threat to the child is a crisis
        return (
            "fear_of_harm" if victim in ("child", "body") or child_named or victim is None else None
        )
    if victim in ("child", "body"):
        # ママ友が子どもの頭を叩いてた: another adult's harm to a child is reported
        return "report" if actor == "adult" and victim == "body" else "child"
    if victim is None and actor is None and lex["kid_places"].any_in(sent):
        if not grammar.confessed(sent, i, lex):
            return None  # 幼稚園で叩いたり叩かれたり: children among themselves
    if victim is None and actor in (None, "self"):
        # たたいちゃった, 押し入れに閉じ込めた, 毎日「死ね」って言ってる: the speaker, to a
        # parents' bot, about their own child though unnamed (a thing or a person named would
        # have been read above)
        return "child"
    return None


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@cache
def _any_of(sources: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{source})" for source in sources))


def _readings(sent: list[Token], kind: Kind, lex: Lexicon) -> Finding | None:
    """Reading phrases of the kind, aligned to token boundaries (市に対して never reads as
    しにたい), unless negated or hypothetical after them."""
    if not kind.readings:
        return None
    reading = _reading(sent)
    if not _any_of(kind.readings).search(reading):
        return None  # none of the kind's readings anywhere: no need to try each start
    starts, ends, at = [], {}, 0
    for index, t in enumerate(sent):
        starts.append(at)
        at += len(t.reading)
        ends[at] = index
    for start in starts:
        for source in kind.readings:
            m = _compiled(source).match(reading, start)
            harm = kind.category == "child_abuse"  # たたいてしまいそう: a fear, read by the acts
            if (
                m
                and m.end() in ends
                and grammar.mood(sent, ends[m.end()], lex, harm=harm) == "real"
            ):
                if kind.category == "child_abuse":
                    args = grammar.arguments(sent, starts.index(start))
                    victim = grammar.role(args.get("を"), lex)
                    actor = grammar.role(args.get("が"), lex)
                    if actor in grammar.CHILDREN or victim in ("thing", "peer"):
                        continue
                return Finding(kind.name, kind.category, kind.tier, kind.urgent)
    return None


_INDEXES: dict[int, tuple[Lexicon, dict[str, set[int]]]] = {}


def _by_key(lex: Lexicon) -> dict[str, set[int]]:
    """Each pattern (by id) under the look-up keys of its narrowest slot: a pattern can only
    match a sentence holding one of them, so a sentence meets only the patterns its own words
    call up — a few dozen of the lexicon's hundreds."""
    kept = _INDEXES.get(id(lex))
    if kept is None or kept[0] is not lex:
        index: dict[str, set[int]] = {}
        for kind in lex.kinds.values():
            for pat in (*kind.acts, *kind.phrases, *kind.signs):
                slot = min(pat.slots, key=lambda s: len(s.index))
                for key in slot.index:
                    index.setdefault(key, set()).add(id(pat))
        kept = _INDEXES[id(lex)] = (lex, index)
    return kept[1]


def _live(lex: Lexicon, keys: frozenset[str]) -> set[int]:
    index = _by_key(lex)
    return set().union(*(index.get(k, ()) for k in keys))


def sentence(sent: list[Token], lex: Lexicon, context: Context) -> list[Finding]:
    """The warning signs in one sentence."""
    keys = sentence_keys(sent)
    live = _live(lex, keys)
    about = setting.about(sent, lex)
    how = setting.asks_how(sent, lex)
    ends_gokko = any(t.surface.endswith("ごっこ") for t in sent)
    play = lex["play"].any_in(setting.undone(sent, lex)) or ends_gokko
    joke = lex["joke"].any_in(sent)  # スマホが息してない笑: a joke, not a medical emergency
    pretend = lex["pretend"].any_in(sent) or ends_gokko
    found: list[Finding] = []
    for kind in lex.kinds.values():
        if how and kind.category in ("child_abuse", "dv"):
            continue  # 虐待の通報ってどうやるの: a question of how, about no one
        if play and kind.category in ("child_abuse", "dv") and kind.name not in _NOT_PLAY:
            continue  # 太鼓をたたいて遊ぶ, パパと叩いてあそぶおもちゃ, 戦いごっこ
        if (joke or pretend) and kind.category == "medical" or joke and kind.name == "exhaustion":
            continue  # スマホが息してない笑, イヤイヤ期に泣きたい笑
        for pat in kind.acts:
            if id(pat) not in live:
                continue
            hits = _act(sent, pat, kind, keys, lex)
            if about:  # 揺さぶられっ子症候群の講座: only a confession survives a topic
                hits = [
                    h
                    for h in hits
                    if any(grammar.confessed(sent, i, lex) for i in range(len(sent)))
                ]
            found += hits
        if about:
            continue
        for pat in kind.phrases:
            if id(pat) not in live:
                continue
            hit = _phrase(sent, pat, kind, keys, lex)
            if hit:
                found.append(hit)
        if context.third_party and not setting.own_child_acts(sent, lex):
            for pat in kind.signs:
                if id(pat) not in live:
                    continue
                hit = _phrase(sent, pat, kind, keys, lex)
                if hit:
                    found += [hit, Finding("report", "child_abuse", "crisis")]
        hit = _readings(sent, kind, lex)
        if hit:
            found.append(hit)
    return found
