"""The danger check: does a message signal abuse, neglect, violence at home, a wish to die, a
medical emergency, or a parent at the end of their strength?

Every message from anyone passes through `assess` before any dialog sees it, so it must be fast
and must favour recall — no danger message may go unanswered — while a city cannot alarm its
specialists over 「太鼓をたたいて遊ぶサロン」 or 「死ぬほど眠い」.

The rules are grown from the domain, not from examples: the kinds of warning sign come from the
official lists (こども家庭庁「子ども虐待対応の手引き」 and the 要保護児童 indicators — physical,
sexual and psychological abuse, neglect, DV in front of the children; the national suicide-
prevention guidance — direct and indirect wishes to die, dying with a child; the signs a parent
is near breaking — exhaustion, fear of harming, low mood after birth, trouble with the bond),
each with a lexicon in bot/safety/lexicon/*.yaml. How a sentence is read is in `grammar` (mood,
roles) and `rules` (acts, phrases, signs); English has its own small rule set (`english`); long
texts are read in pieces (`analysis.pieces`). `assessment.combine` turns the findings into a tier.
When the rules find nothing, the safety net (`net`) may still answer, at the concern tier or,
when it is sure and its tier model says so, the crisis tier (never an emergency); a very long
text is scanned whole by the net and only its likeliest pieces are read by the rules.
"""

from __future__ import annotations

import dataclasses

from bot.safety import net
from bot.safety.analysis import analyse, normalise, pieces
from bot.safety.assessment import Assessment, combine
from bot.safety.english import assess_english, names_child
from bot.safety.languages import assess_languages, at_hand_in_languages
from bot.safety.lexicon import lexicon
from bot.safety.rules import Context, Finding, sentence

LONG = 2000  # characters read whole; beyond, the net picks the pieces the rules read
FOCUS_PIECE = 250
JOIN, JOIN_TOKENS = 4, 60  # a short message: at most four sentences, sixty words


# A child described by coming, meeting or living near (遊びに来る子, 見かける子, 上に住む子) is
# another family's; one described by what they do (叫ぶ子ども, 泣く子) may be one's own.
_MET = frozenset(
    {"来る", "通う", "見掛ける", "見かける", "見る", "住む", "会う", "遊ぶ", "預かる", "越す"}
)


def _described(sent: list) -> bool:
    """A child named by how the speaker meets them (遊びに来る子, 見かける子): another family's."""
    return any(
        t.lemma in ("子", "子供", "男の子", "女の子")
        and k > 0
        and sent[k - 1].pos.startswith("動詞")
        and sent[k - 1].lemma in _MET
        and sent[k - 1].form.startswith("連体形")
        for k, t in enumerate(sent)
    )


def focus(text: str, limit: int = LONG) -> str:
    """A very long text's pieces most likely to carry danger, at most about `limit` characters
    in their own order: the whole text is scanned by the net's character n-grams (cheap), and
    only the pieces it scores highest are read by Sudachi and the rules (dear). A text within
    the limit is read whole."""
    if len(text) <= limit:
        return text
    parts = list(pieces(normalise(text), FOCUS_PIECE))
    ranked = sorted(range(len(parts)), key=lambda i: -net.score(parts[i]))
    kept, size = [], 0
    for i in ranked:
        if size >= limit:
            break
        kept.append(i)
        size += len(parts[i])
    return "\n".join(parts[i] for i in sorted(kept))


def assess(text: str) -> Assessment | None:
    """Check one message for danger signals; None when there are none."""
    if not text or not text.strip():
        return None
    text = focus(text)
    sentences = analyse(text)
    found = rules(text, sentences)
    if found is None:
        found = net.assess(text, [t for s in sentences for t in s])
        if found and found.tier == "crisis" and _at_hand(text, sentences):
            # いまこの子と橋の上, sitting in the car with the engine running: the rules raise
            # their own crisis to an emergency on these signs (assessment.combine); the net's
            # crisis is raised alike, or 110/119 would never be offered for what only it reads.
            found = dataclasses.replace(found, tier="emergency", urgent=True)
    return found


def _at_hand(text: str, sentences: list) -> bool:
    """Whether the message says the danger is now (今, 助けて) or a lethal means or place is at
    hand (包丁, 橋, 線路), in Japanese or English: the signs `combine` raises a crisis on."""
    _, now, lethal = assess_english(text)
    lex = lexicon()
    if now or lethal or any(lex["now"].any_in(s) or lex["lethal"].any_in(s) for s in sentences):
        return True
    return any(at_hand_in_languages(text))


def rules(text: str, sentences: list | None = None) -> Assessment | None:
    """What the rules alone say (the net's training compares itself with them). A short message
    of a few sentences is read once more as one sentence when its sentences say nothing each:
    parents split one thought with a full stop (再婚相手が娘と風呂に入りたがる。娘は嫌がってる)."""
    if sentences is None:
        sentences = analyse(text)
    found = _rules(text, sentences)
    if found is None and 1 < len(sentences) <= JOIN and sum(map(len, sentences)) <= JOIN_TOKENS:
        found = _rules(text, [[t for s in sentences for t in s]])
    return found


def _rules(text: str, sentences: list) -> Assessment | None:
    lex = lexicon()
    findings, now, lethal = assess_english(text)
    more, now_there, lethal_there, child_there = assess_languages(text)  # pt_BR, vi, zh_Hans
    # Another family is spoken of, or children in a nursery's or a school's care by someone
    # who does not speak of their own child (保育園で毎日同じ服の子がいる).
    third = any(lex["third_party"].any_in(s) for s in sentences)
    care = any(lex["kid_places"].any_in(s) for s in sentences) and any(
        lex["habitual"].any_in(s) or lex["witness"].any_in(s) for s in sentences
    )  # 保育園で毎日同じ服の子: seen again and again, not 学校に行かない (a parent's worry)
    own = any(lex["own_child"].any_in(s) for s in sentences)
    context = Context(third_party=third or (care or any(map(_described, sentences))) and not own)
    child_named = bool(findings) and names_child(text) or bool(more) and child_there
    found: list[Finding] = findings + more
    now, lethal = now or now_there, lethal or lethal_there
    for sent in sentences:
        if not any(t.surface[:1] > "\u3000" for t in sent):
            continue  # no Japanese letter: English, read by its own rules above
        found += sentence(sent, lex, context)
        child_named |= any(lex["child"].has(t) for t in sent)
        now |= lex["now"].any_in(sent)
        lethal |= lex["lethal"].any_in(sent)
    return combine(found, now=now, lethal=lethal, child_named=child_named)
