"""What a sentence is about, beside its acts: a topic (a lecture, the news), a child's own
activity or a visit (宿題しない娘, 遊びに来る子), a question of how, one's own child as the one
who acts. The rules (rules.py) read these before they read who does what to whom."""

from __future__ import annotations

from bot.safety import grammar
from bot.safety.analysis import Token
from bot.safety.lexicon import Lexicon


def about(sent: list[Token], lex: Lexicon) -> bool:
    """A sentence about the subject (a lecture, prevention, the news), not a case of it."""
    return lex["topic"].any_in([t for t in undone(sent, lex) if not t.pos.startswith("接尾辞")])


def undone(sent: list[Token], lex: Lexicon) -> list[Token]:
    """The sentence without a child's activities done in it (宿題しない娘を叩いた, ゲームばかり
    する息子を殴った) or a visit (遊びに来る子): those words name no topic and no game."""
    return [
        t
        for k, t in enumerate(sent)
        if not (lex["activities"].has(t) and _done(sent, k)) and not _visit(sent, k)
    ]


def _visit(sent: list[Token], k: int) -> bool:
    """遊びに来る子, 遊びに行った家: a visit, not play."""
    return (
        sent[k].lemma == "遊ぶ"
        and k + 2 < len(sent)
        and sent[k + 1].lemma == "に"
        and sent[k + 2].lemma in ("来る", "行く", "出掛ける", "出かける")
    )


_DOING = ("を", "は", "も", "ばかり", "ばっかり", "ばっか", "しか")


def _done(sent: list[Token], k: int) -> bool:
    """Whether the word at k is the object of the verb right after it (宿題しない, ゲームばかり
    する): something done, not what the sentence is about."""
    if k > 0 and sent[k - 1].pos.startswith(("動詞", "助動詞")):
        return False  # 叩くゲームをする: the game is the act's, and a game
    j = k + 1
    while j < len(sent) and sent[j].lemma in _DOING:
        j += 1
    return j < len(sent) and sent[j].pos.startswith("動詞")


def asks_how(sent: list[Token], lex: Lexicon) -> bool:
    """A question of how, with no one named: 虐待の通報ってどうやるの."""
    if not lex["howto"].any_in(sent):
        return False
    people = ("child", "partner", "self", "adult")
    return not any(lex[g].any_in(sent) for g in people)


def own_child_acts(sent: list[Token], lex: Lexicon) -> bool:
    """The speaker's own child is the subject (息子がクラスの子を押して怪我させた): what
    follows is about that child's doing, not a sign seen in another family's child."""
    if lex["among_children"].any_in(sent):
        return True  # 子ども同士で押し合いになってけがした
    if any(_by_a_child(sent, i, lex) for i in range(len(sent))):
        return True  # 小1の子がクラスの子に押されてたんこぶ: the injury is the other child's doing
    for j, t in enumerate(sent):
        if t.lemma in ("が", "は") and t.pos.startswith(("助詞-格助詞", "助詞-係助詞")):
            phrase = grammar.noun_phrase(sent, j)
            if phrase and _heads(phrase, lex["own_child"]) and not lex["third_party"].find(phrase):
                return True  # 息子が: the son; 息子の友達が is his friend, another family's child
    return False


def _by_a_child(sent: list[Token], i: int, lex: Lexicon) -> bool:
    """Whether the word at i is a passive done by a child (クラスの子に押された, 友達に噛まれた)."""
    if not grammar.passive(sent, i, lex):
        return False
    return grammar.role(grammar.arguments(sent, i).get("に"), lex) in grammar.CHILDREN


def _heads(phrase: list[Token], words) -> bool:
    """Whether the phrase ends in one of the words (its head noun)."""
    return words.has(phrase[-1]) or any(end == len(phrase) - 1 for _, end, _ in words.find(phrase))


_WORRY = frozenset({"心配", "怖い", "こわい", "恐い", "不安"})


def worried(sent: list[Token], i: int) -> bool:
    """Whether the word at i is named as what one worries about (窒息が心配, のどに詰まるのが
    怖くて): a fear of what may happen, asked about in advance, not something that has (詰まった,
    息が弱いのが心配 stay read: a past event, or a state seen now)."""
    t = sent[i]
    if not (t.is_noun or t.pos.startswith("動詞") and t.form.startswith(("終止形", "連体形"))):
        return False
    j = i + 1
    if j < len(sent) and sent[j].lemma in ("の", "こと", "事"):
        j += 1
    if j < len(sent) and sent[j].lemma in ("が", "は", "も"):
        j += 1
    # 窒息こわい, 誤飲心配: the worry may follow the noun with no particle, as typed
    return (i + 1 < j or t.is_noun) and j < len(sent) and sent[j].lemma in _WORRY
