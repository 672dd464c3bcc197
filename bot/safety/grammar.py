"""Reading a Japanese sentence around a trigger word: its endings, whether it is real, who does
it and to whom.

- **Endings** (`tail`): the auxiliaries and helper verbs after a word (死に+たい, 叩い+ちゃっ+た,
  覚め+なけれ+ば+いい) and their conjugation forms.
- **Mood** (`mood`): real (叩いた, 叩いてしまう), negated (叩かない, 叩いたことはない, 叩いたり
  はしていません), hypothetical (もし叩いたら, 叩かないように) or feared (叩いてしまいそう,
  叩きたくなる, 叩いたらどうしよう, 叩くかもしれない).
- **Roles** (`arguments`, `role`): the case particles before a verb give the subject (が/は),
  the object (を) and the に-phrase (the agent of a passive, the one spoken to), and each phrase
  is sorted by the words.yaml groups into the speaker's own child, another family's child,
  a partner, the speaker, another adult, a peer, a body part or a thing.
"""

from __future__ import annotations

from bot.safety.analysis import Token
from bot.safety.lexicon import Lexicon


def _is_aux(t: Token) -> bool:
    return (
        t.pos.startswith(("助動詞", "接尾辞-動詞", "接尾辞-形容詞", "形状詞-助動詞語幹"))
        or t.pos.startswith(("動詞-非自立可能", "形容詞-非自立可能"))
        or t.pos.startswith("助詞-接続助詞")
        and t.lemma in ("て", "で", "ば", "ちゃ", "ちゃう")
    )


def chain_end(sent: list[Token], i: int) -> int:
    """The index just past the endings of the predicate at i."""
    j = i + 1
    while j < len(sent) and _is_aux(sent[j]):
        j += 1
    return j


def tail(sent: list[Token], i: int) -> set[str]:
    """The endings of the predicate at i (lemmas, dictionary forms, conjugation forms), with the
    word just after them."""
    found = {sent[i].form.split("-")[0]}
    end = chain_end(sent, i)
    for t in sent[i + 1 : end]:
        found |= {t.lemma, t.base, t.form.split("-")[0]}
    if end < len(sent):
        found |= {sent[end].lemma, sent[end].base}
    return found


def predicate(sent: list[Token], i: int) -> tuple[int, set[str]]:
    """For a noun, its predicate and that predicate's endings (息+が+止まっ+た → 止まる, た);
    for a verb or adjective, itself and its own endings."""
    if sent[i].is_noun:
        j = i + 1
        only = False
        while j < len(sent) and (
            sent[j].pos.startswith(("助詞-格助詞", "助詞-係助詞", "助詞-副助詞", "副詞"))
            or _measure(sent, j)
        ):
            # 痙攣が10分以上続く, 血がずっと止まらない: particles, amounts and adverbs are
            # passed over to reach the predicate
            only |= sent[j].lemma == "しか"
            j += 1
        if j >= len(sent):
            return i, set()
        found = tail(sent, j) | {sent[j].lemma, sent[j].base}
        # 心中しか考えられない: 〜しか…ない affirms (the negation is dropped with its marker)
        return j, found - {"ない", "無い", "ず", "ぬ"} if only else found
    return i, tail(sent, i)


def _measure(sent: list[Token], j: int) -> bool:
    """A number, a counter or an amount word (10, 分, 以上, 何日)."""
    t = sent[j]
    return t.pos.startswith(("名詞-数詞", "接尾辞-名詞的-助数詞")) or (
        t.pos.startswith(("名詞-普通名詞-助数詞可能", "名詞-普通名詞-副詞可能"))
        and j > 0
        and sent[j - 1].pos.startswith(("名詞-数詞", "名詞-普通名詞-助数詞可能"))
    )


# --- mood ------------------------------------------------------------------------------------


def _negated_later(sent: list[Token], i: int, lex: Lexicon) -> bool:
    """叩いたことはない, 叩いたりはしていません, 死にたいなんて思わない: a negation carried by
    a light predicate after a nominaliser or a quote, within the same clause."""
    j = chain_end(sent, i)
    steps = 0
    while j < len(sent) and steps < 6:
        t = sent[j]
        if lex["light_link"].has(t) or t.pos.startswith(("助詞-係助詞", "助詞-副助詞")):
            j += 1
            steps += 1
            continue
        if lex["negation"].has(t):
            return True
        if lex["light_verb"].has(t):
            return bool(tail(sent, j) & lex.flat["negation"])
        return False
    return False


def mood(
    sent: list[Token], i: int, lex: Lexicon, endings: set[str] | None = None, harm: bool = False
) -> str:
    """'real', 'negated', 'unreal' (hypothetical, purpose, degree, history) or, for a harm the
    speaker might do (`harm`), 'feared'."""
    endings = tail(sent, i) if endings is None else endings
    if endings & lex.flat["maybe"] or any(t.lemma == "しか" for t in sent[max(0, i - 4) : i]):
        # 〜かもしれない is a maybe, and 「なんで」としか言わない an only, not a negation
        endings = endings - lex.flat["negation"]
    if not harm:
        endings = endings - {"方"}  # 死んだ方がまし: a wish, not advice
    end = chain_end(sent, i)
    # 叩いてる、自分が怖い: a harm done (past or going on) stays done, whatever fear follows it
    done = bool(endings & _DONE) and "仮定形" not in endings
    if harm and (
        endings & lex.flat["fear_ending"]
        or not done
        and any(lex["fear"].has(t) for t in sent[end : end + 5])
        or lex["fear_before"].any_in(sent[:i])  # この|まま is two words  # このままだと手が出る
    ):
        return "feared"
    if harm and _generic(sent, i, end):
        return "unreal"  # 叩くのはよくない, 蹴ることって: the act spoken of, not done
    if _supposed(sent, end):
        return "unreal"  # 暑すぎて死ぬかと思った: an idiom of exaggeration
    if _narrative(sent, i, end):
        endings = endings - {"仮定形", "た", "だ"}  # 叩いたら鼻血が出た: it happened
    if bool(endings & lex.flat["unreal"]) or "仮定形" in endings:
        # もし叩いたらどうしよう / 叩いてしまったらと思うと怖い: a fear, not a hypothetical
        return "feared" if harm and any(lex["fear"].has(t) for t in sent[end:]) else "unreal"
    if endings & lex.flat["negation"] or _negated_later(sent, i, lex):
        return "negated"
    if endings & lex.flat["nominaliser"] and not _confessed(endings, lex):
        if _thought(sent, end, lex) or _often(sent, end) or _done(sent, end):
            return "real"  # 心中することばかり考える, 泣いてることが多い: a thought, a habit
        return "unreal"  # けいれんしたことがある, 高熱が出たとき: history or advice
    return "real"


_DONE = frozenset({"た", "てる", "ている", "てた"})


def _thought(sent: list[Token], end: int, lex: Lexicon) -> bool:
    """こと/の followed, within a few words, by a verb of thinking (考える, 頭をよぎる)."""
    return any(lex["thinking"].has(t) for t in sent[end : end + 5])


def _done(sent: list[Token], end: int) -> bool:
    """〜なことをする: わいせつなことをしてる is the act itself."""
    after = [t.lemma for t in sent[end : end + 3]]
    return after[:2] == ["こと", "を"] and after[2:3] in (["為る"], ["する"])


def _often(sent: list[Token], end: int) -> bool:
    """〜ことが多い, 〜ことがよくある: a habit, not a history."""
    after = [t.lemma for t in sent[end : end + 4]]
    return bool({"多い", "良く", "よく", "しょっちゅう", "度々", "たびたび"} & set(after))


def _supposed(sent: list[Token], end: int) -> bool:
    """〜かと思った, 〜かと思う: 死ぬかと思った is a figure of speech."""
    after = [t.lemma for t in sent[end : end + 3]]
    if sent[end - 1].form.startswith("意志推量形"):
        return False  # 飛び降りようかと思った: an intention, not a figure of speech
    return after[:1] == ["か"] and after[1:2] in (["と"], ["って"]) and after[2:3] == ["思う"]


def _generic(sent: list[Token], i: int, end: int) -> bool:
    """A harm in its dictionary form made a topic: 叩くのは, 叩くことって, 怒鳴るのも."""
    if end != i + 1 or not sent[i].form.startswith(("終止形", "連体形")):
        return False
    after = [t.lemma for t in sent[end : end + 2]]
    return len(after) == 2 and after[0] in ("の", "こと", "事") and after[1] in ("は", "って", "も")


def _narrative(sent: list[Token], i: int, end: int) -> bool:
    """〜たら…た: a past event told in order (叩いたら鼻血が出た), not a condition (叩いたら
    どうしよう, 飲んだら何番?). No もし before it, and the sentence ends in the past."""
    if end == i + 1 or sent[end - 1].lemma != "た" or not sent[end - 1].form.startswith("仮定形"):
        return False
    if any(t.lemma in ("若し", "もし", "万一", "万が一") for t in sent[:i]):
        return False
    rest = sent[end:]
    return bool(rest) and rest[-1].lemma == "た" and rest[-1].form.startswith("終止形")


def _confessed(endings: set[str], lex: Lexicon) -> bool:
    return bool(endings & lex.flat["confession"])


def confessed(sent: list[Token], i: int, lex: Lexicon) -> bool:
    return _confessed(tail(sent, i), lex)


def progressive(sent: list[Token], i: int, lex: Lexicon) -> bool:
    """Happening as one speaks: 殴ってる, 暴れている (not 殴ってた, not 毎晩殴ってる)."""
    end = chain_end(sent, i)
    chain = sent[i + 1 : end]
    going = any(t.lemma in ("てる", "でる") for t in chain) or any(
        t.lemma in ("居る", "いる") and k > 0 and chain[k - 1].lemma in ("て", "で")
        for k, t in enumerate(chain)
    )
    past = any(t.lemma == "た" for t in chain)
    return going and not past and not lex["habitual"].any_in(sent)


def passive(sent: list[Token], i: int, lex: Lexicon) -> bool:
    return bool(tail(sent, i) & lex.flat["passive"])


# --- roles -----------------------------------------------------------------------------------

CASES = {"を": "を", "が": "が", "は": "が", "も": "を", "に": "に", "から": "から", "にも": "に"}


def noun_phrase(sent: list[Token], end: int) -> list[Token]:
    """The noun phrase ending just before index `end`: 子供 / 下 の 子 / 隣 の 家 の 子."""
    k = end
    while k > 0 and (sent[k - 1].is_noun or sent[k - 1].lemma == "の" and k - 1 > 0):
        k -= 1
    return sent[k:end]


def arguments(sent: list[Token], i: int) -> dict[str, list[Token]]:
    """The case-marked phrases before the verb at i, back to the previous predicate."""
    args: dict[str, list[Token]] = {}
    before = sent[i - 1] if i > 0 else None
    if before and before.is_noun and not before.pos.endswith(("副詞可能", "数詞")):
        # 太鼓叩いて: the object without its を (but not 最近 or 3回, which are adverbial)
        args["を"] = noun_phrase(sent, i)
    j = i - 1
    while j >= 0:
        t = sent[j]
        if t.pos.startswith(("助詞-格助詞", "助詞-係助詞")) and t.lemma in CASES:
            phrase = noun_phrase(sent, j)
            if not _adverbial(phrase):  # 何度も叩く, 毎日も: how often, not whom
                args.setdefault(CASES[t.lemma], phrase)
            j -= len(phrase) + 1
        elif t.pos.startswith(("動詞-一般", "形容詞-一般")) and t.form.startswith("終止形"):
            break  # a finished clause: its nouns belong to that verb (熱いお湯: 連体形 goes on)
        elif t.pos.startswith("補助記号-読点") and j > 0 and sent[j - 1].form.startswith("終止形"):
            break  # 見る気になれない、ずっと放っておいてる: a finished clause before the comma
        elif (
            t.pos.startswith("動詞")
            and t.form.startswith("連体形")
            and j + 1 < len(sent)
            and sent[j + 1].lemma in ("度", "たび")
        ):
            break  # 子どもが泣くたびに叩く: 子ども belongs to 泣く
        elif t.pos.startswith("助詞-接続助詞") and t.lemma in _CLAUSE_ENDS:
            break  # 娘がおもらししたので叩いた: 娘 belongs to the clause before ので
        elif t.lemma == "た" and t.form.startswith("仮定形"):
            break  # 息子が泣いたら叩いた
        elif t.surface == "で" and t.lemma == "だ" and j > 0 and sent[j - 1].lemma == "の":
            break  # 娘がもらしたので叩いた
        else:
            j -= 1
    return args


_CLAUSE_ENDS = frozenset(
    {"から", "ので", "けど", "けれど", "けれども", "のに", "し", "ば", "が", "ても", "でも", "と"}
)


def modified(sent: list[Token], i: int) -> list[Token] | None:
    """The noun a verb's clause modifies (叩いてくる子, 噛まれた友達): its actor, or for a
    passive its victim."""
    end = chain_end(sent, i)
    last = sent[end - 1]
    if end >= len(sent) or not last.form.startswith(("連体形", "終止形")):
        return None
    if not sent[end].is_noun:
        return None
    k = end
    while k < len(sent) and sent[k].is_noun:
        k += 1
    return sent[end:k]


_AGES = frozenset({"歳", "才", "ヶ月", "か月", "カ月", "ヵ月"})


def _adverbial(phrase: list[Token]) -> bool:
    """何度, 3回, 毎日, 今日: a noun phrase of time or frequency."""
    if not phrase:
        return False
    head = phrase[-1]
    if head.lemma in _AGES:
        return False  # 3歳が1歳を押した: an age names a child
    return (
        head.pos.startswith(("名詞-普通名詞-副詞可能", "名詞-数詞", "接尾辞-名詞的-助数詞"))
        or head.pos.startswith("名詞-普通名詞-助数詞可能")
        and len(phrase) > 1
        and phrase[-2].pos.startswith("名詞-数詞")
        or head.lemma.startswith("何")
        and head.lemma not in ("何", "何か")
    )


def role(phrase: list[Token] | None, lex: Lexicon) -> str | None:
    """Who a noun phrase is: child, other_child, partner, self, adult, peer, body, thing."""
    if not phrase:
        return None
    if phrase[-1].lemma in _AGES:
        return "child"  # 3歳, 生後2ヶ月
    if len(phrase) > 2 and phrase[-1].lemma in ("事", "こと") and phrase[-2].lemma == "の":
        phrase = phrase[:-2]  # 娘のことを無視する: the daughter
    head = len(phrase) - 1
    while head > 0 and phrase[head].lemma in _PLURAL:
        head -= 1  # 子供達, 子どもたち: the noun before the plural ending
    # The head noun says who it is (赤ちゃんの世話 is a thing, 娘の体 a body part, 隣の家の子 a
    # child); the words before it only say whose.
    if not any(lex[name].has(phrase[head]) for name in _ROLE_GROUPS if name != "third_party"):
        if lex["body"].has(phrase[head]):
            return "body"
        if lex["limb"].has(phrase[head]) and any(
            lex[name].has(t) for t in phrase[:head] for name in ("child", "partner", "self")
        ):
            return "body"  # 子どもの手, 娘の肩: a person's hand (手を叩く alone is clapping)
        if lex["limb"].has(phrase[head]) and phrase[head].lemma not in ("手", "肩"):
            return None  # 手の甲を叩く: someone's, unnamed
        return "thing"
    has = {name: any(lex[name].has(t) for t in phrase) for name in _ROLE_GROUPS}
    has["adult"] = has["adult"] or bool(lex["adult"].find(phrase))
    has["third_party"] = has["third_party"] or bool(lex["third_party"].find(phrase))
    grown = [name for name in ("partner", "adult") if lex[name].has(phrase[head])]
    named = [
        name
        for name in ("partner", "adult")
        if any(end == head and start < head for start, end, _ in lex[name].find(phrase))
    ]  # お|ばあ|ちゃん, おじ|ちゃん: a grown-up's name ends in ちゃん as a child's does
    if grown and not lex["child"].has(phrase[head]) or named:
        grown = grown or named
        # 娘の習い事の先生, 隣の旦那さん: the head is a grown-up, whoever's it is
        return "partner" if "partner" in grown and not has["third_party"] else "adult"
    if has["child"]:  # 隣の子, 友達の子: another family's child; 上の子, ゆうくん: one's own
        return "other_child" if has["third_party"] or has["peer"] else "child"
    if has["peer"]:
        return "peer"
    for name in ("partner", "self", "adult"):
        if has[name]:
            return name
    if has["body"] or has["private_body"]:
        return "body"
    return "thing"


_PLURAL = frozenset({"達", "たち", "ら", "等", "共", "ども"})
# The roles a child has: what one of them does to another is children among themselves.
CHILDREN = frozenset({"child", "other_child", "peer"})
_ROLE_GROUPS = ("peer", "child", "third_party", "partner", "self", "adult", "body", "private_body")


def done_by_a_child(sent: list[Token], slots, lex: Lexicon) -> bool:
    """Whether the act a phrase names first (叩く of 叩く+やめる+ない) has a child as its subject:
    上の子が下の子を叩くのがやめられない is children among themselves."""
    if len(slots) < 2:
        return False
    for start, end, _ in slots[0].find(sent):
        if sent[end].pos.startswith("動詞"):
            if role(arguments(sent, start).get("が"), lex) in CHILDREN:
                return True
    return False


def mutual(sent: list[Token], i: int, lex: Lexicon) -> bool:
    """つねりあい, 蹴りあってる: harm done to each other — among children unless a grown-up or
    one's own child is the other side (夫と殴り合い is DV, 息子と叩き合い a parent's harm)."""
    if i + 1 >= len(sent) or not _each_other(sent[i], sent[i + 1]):
        return False
    j = i - 1  # the one it is done with: 息子と, 夫と
    while j >= 0 and not (sent[j].lemma == "と" and sent[j].pos.startswith("助詞-格助詞")):
        j -= 1
    if j > 0 and role(noun_phrase(sent, j), lex) in ("child", "partner", "adult", "self"):
        return False
    return not any(lex[group].any_in(sent) for group in ("partner", "adult"))


def _each_other(verb: Token, after: Token) -> bool:
    """合う after a verb: 蹴りあい, つねり合う — and ひっぱり+あっ, where Sudachi reads the あっ of
    ひっぱりあって as 有る (a verb's 連用形 is never followed by 有る itself)."""
    if after.lemma in ("合い", "合う", "あう"):
        return True
    return after.lemma == "有る" and after.surface[:1] == "あ" and verb.form.startswith("連用形")
