"""The danger-signal matcher: does a message signal abuse, violence, suicide or a medical emergency?

Every message from anyone passes through `assess` before any dialog sees it, so it must be fast
and must favour recall, but a city cannot alarm its specialists over 「太鼓をたたいて遊ぶサロン」.
The approach, per sentence (see `analysis` for how text becomes tokens):

1. **Lemmas, not strings.** Rules name words by Sudachi's normalized form, so 叩く matches
   たたいちゃった, 叩いてしまう and ﾀﾀｲﾃｼﾏｳ alike, and 死ぬ matches しにたい.
2. **What the word is doing.** A trigger counts only with the right *tail* (the auxiliaries and
   helper verbs after it: 死に+たい, 息+し+て+ない, 叩い+ちゃっ+た) and never when that tail makes
   it hypothetical or a topic (けいれん+したら, 叩かない+ように, 虐待+防止, 講演会, セミナー …).
3. **Who does what to whom.** For hitting and harming verbs the case particles before the verb
   give the subject, the object and (in the passive) the agent: 子供を叩く is abuse; 太鼓を叩く,
   肩を叩く and 手を叩いて喜ぶ hit a thing, not a person; 夫に殴られる is DV; 上の子が下の子を叩く
   is a sibling quarrel. With no object, only a confession (〜てしまう, 〜ちゃう, 〜たくなる,
   〜そう) points at the parent's own child.
4. **Readings as a safety net.** The analyser can mis-split kana-only text or IME slips
   (いきしてない, 氏にたい, じさつしたい), so a few phrases are also matched on the hiragana reading
   of the sentence, aligned to token boundaries (so 市に対して never reads as しにたい).
5. **English** messages get a handful of word patterns.

A message is *urgent* when it is a medical emergency, or mentions something happening now or a
lethal means (今, 助けて, 包丁, 遺書, 殺す …); routes.py turns that into 110/119.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.safety.analysis import Token, analyse, normalise

CATEGORIES = ("child_abuse", "dv", "suicide", "medical")


@dataclass(frozen=True)
class Assessment:
    categories: frozenset[str]
    urgent: bool
    # A child may be harmed by the situation (abuse, or a child in a DV or suicide message):
    # the child guidance routes (189, the local centre) are then always given.
    child_at_risk: bool = False


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Who is who. Lemmas (normalized forms) or hiragana dictionary forms.
PEER = words("友達 友だち お友達 クラスメート 同級生 園児")
CHILD = words(
    "子 子供 我が子 娘 息子 赤ちゃん 赤ん坊 乳児 幼児 新生児 乳幼児 長男 次男 三男 長女 次女 三女 "
    "兄 弟 姉 妹 お兄ちゃん お姉ちゃん 末っ子 双子 児童 孫 ベビー ちゃん 君 くん"
)
PARTNER = words(
    "夫 旦那 主人 ご主人 彼氏 彼 パートナー 妻 嫁 奥さん 元夫 元旦那 元彼 交際相手 同居人 内縁 "
    "父親 義父 義母 姑 舅"
)
SELF = words("私 自分 僕 俺 あたし わたし うち")
# A body part as object leaves the person unnamed: 顔を叩いてしまった. 手 and 肩 are left out on
# purpose: 手を叩く is clapping and 肩を叩く a shoulder rub.
BODY = words("頭 顔 頬 ほっぺ ほっぺた 首 お尻 尻 腕 足 体 お腹 腹 背中")

HIT = words("叩く 引っ叩く 殴る 蹴る 蹴飛ばす 打つ どつく 殴り付ける 叩き付ける")
# Verbs that point at one's own child even with no object, when confessed: たたいちゃった.
UNNAMED_VICTIM = HIT | {"殺す"}
HARM = words(
    "投げる 投げ飛ばす 突き飛ばす 突き落とす 押し倒す 絞める 締める 揺さぶる 抓る 閉じ込める "
    "縛る 虐める 傷付ける 放置 置き去り 殺す"
)
# 暴力を振るう, 手を上げる, 手を出す: the victim is the に-phrase.
PHRASE_VERBS = {"振るう": "暴力", "上げる": "手", "出す": "手"}
CONFESSION = words("仕舞う ちゃう じゃう ちまう たい そう")
PASSIVE = words("れる られる")

NEGATION = words("ない 無い ぬ ず")
# The tail makes it unreal: a condition, a purpose, a degree (けいれんしたら, 叩かないように,
# 死ぬ前に, 死ぬほど眠い, 息ができないほど笑った).
UNREAL = words("ば なら 様 よう 前 場合 際 ほど 程 くらい ぐらい 位")
# …or makes a symptom a matter of history or advice: けいれんしたことがある, 高熱が出た時.
NOMINALISED = words("事 こと 時 とき 方法 対処 対応 経験")
# A sentence with these is about the subject, not a case of it (虐待防止の講演会).
TOPIC = words(
    "防止 予防 対策 啓発 講演 講演会 研修 セミナー 講座 勉強会 講習 講習会 説明会 イベント "
    "週間 月間 キャンペーン ポスター 統計 研究 番組 玩具 おもちゃ グッズ"
)
TOPIC_PHRASES = ("について", "に関して", "に関する", "とは")
URGENT = words(
    "今 今すぐ 今から これから 今夜 今晩 助ける 殺す 包丁 ナイフ 刃物 遺書 練炭 吊る 飛び下りる "
    "心中 一緒 線路 屋上 警察"
)


@dataclass(frozen=True)
class Rule:
    """A trigger word with conditions; every set in `tail` and `also` must be matched."""

    category: str
    heads: frozenset[str]
    tail: tuple[frozenset[str], ...] = ()  # in the trigger's own tail: 死に+たい
    also: tuple[frozenset[str], ...] = ()  # anywhere else in the sentence: 熱 … ぐったり
    urgent: bool = False


def rule(category: str, heads: str, *tail: str, also: tuple[str, ...] = (), urgent: bool = False):
    return Rule(category, words(heads), tuple(map(words, tail)), tuple(map(words, also)), urgent)


STOPPED = "止まる 無い ない 弱い 苦しい 可笑しい 変 浅い"
HEAD_INJURY = "吐く 嘔吐 意識 痙攣 引き付け ぐったり 反応 出血"
DROWSY = "ぐったり 朦朧 意識 呼び掛け 反応 痙攣 引き付け 白目"
RULES = (
    # Nouns naming the harm itself, when not a topic (防止, 講演会 …).
    rule("child_abuse", "虐待 体罰 ネグレクト 育児放棄 折檻"),
    rule("dv", "DV ドメスティックバイオレンス モラハラ"),
    rule("suicide", "自殺 自死 心中 無理心中"),
    rule("suicide", "死ぬ 消える 飛び下りる 居なくなる", "たい"),
    rule("suicide", "死ぬ", "意志推量形 しか 積もり つもり"),
    rule("suicide", "生きる", "たい", "ない 無い"),
    rule("suicide", "生きる", also=("疲れる 辛い しんどい 嫌 意味",)),
    rule("suicide", "絶つ", also=("命",)),
    rule("suicide", "吊る", also=("首",), urgent=True),
    rule("medical", "息 呼吸", STOPPED),
    rule("medical", "意識", "無い ない 失う 戻る 可笑しい 朦朧 遠のく"),
    rule("medical", "反応", "無い ない"),
    rule("medical", "痙攣 引き付け 引き付ける", "為る 居る てる 起こす 続く"),
    rule("medical", "痙攣 引き付け 引き付ける", "止まる", "ない 無い"),
    rule("medical", "誤飲 誤嚥 窒息 溺れる 救急車 心肺停止"),
    rule("medical", "血 出血 鼻血", "止まる", "ない 無い"),
    rule("medical", "出血", also=("大量 たくさん 沢山 いっぱい",)),
    rule(
        "medical",
        "飲み込む 呑み込む 食べる 飲む",
        "た ちゃう 仕舞う",
        also=("電池 ボタン電池 タバコ 煙草 洗剤 漂白剤 薬 磁石 灯油 硬貨 何 何か 玩具 おもちゃ",),
    ),
    rule("medical", "詰まる", also=("喉 気道",)),
    rule("medical", "熱 高熱 発熱", also=(DROWSY,)),
    rule("medical", "白目", "剥く むく"),
    rule("medical", "唇 顔色 顔", also=("紫 紫色 青い 真っ青 土気色 青白い",)),
    rule("medical", "打つ ぶつける", also=("頭", HEAD_INJURY)),
    rule("medical", "落ちる 転落", also=("ベランダ 窓 二階 2階 屋根 階段",)),
)


# Phrases matched on the hiragana reading, at token boundaries (the analyser's safety net).
READINGS = tuple(
    (category, re.compile(pattern))
    for category, pattern in (
        ("suicide", r"(しに|しね|きえ|じさつし|じしし|いなくなり|とびおり)(てしまい|ちゃい)?たい"),
        ("suicide", r"いきて?い?たくない"),
        (
            "child_abuse",
            r"(たたい|なぐっ|けっ|ぶっ|ひっぱたい|はたい)(てしま[うっい]|てしも[うた]|ちゃ[うっい]?|ちま[うっ])",
        ),
        ("medical", r"いきを?して(い|な)?(ない|ません)"),
        ("medical", r"(けいれん|ひきつけ)(を?(し|おこし)て(る|い|た)|した)"),
    )
)

ENGLISH = tuple(
    (category, re.compile(pattern))
    for category, pattern in (
        (
            "child_abuse",
            r"\b(hit|hitting|beat|beating|hurt|hurting|slap\w*|shak\w+|kick\w*|punch\w*|abus\w+|"
            r"chok\w+|strangl\w+)\s+(my|our|the|her|his)\s+(baby|babies|child\w*|kids?|sons?|"
            r"daughters?|toddler|newborn|boy|girl)\b",
        ),
        ("child_abuse", r"\b(kill|strangle|smother)\s+(my|our)\s+(baby|child|kid|son|daughter)"),
        (
            "dv",
            r"\b(husband|boyfriend|partner|wife|ex)\b[\w\s']{0,20}?\b(hits?|beats?|hurts?|kicks?|"
            r"chokes?|punch\w*|threaten\w*|abuses?)\s+me\b|\bdomestic (violence|abuse)\b",
        ),
        (
            "suicide",
            r"\b(want|wanna|going|plan\w*)\s+(to\s+)?(die|kill myself|end (it|my life))\b|"
            r"\bsuicid\w*|\bkill myself\b|\bdon'?t want to (live|be alive)\b",
        ),
        (
            "medical",
            r"\b(not|isn'?t|stopped|can'?t|cannot)\s+(breath\w*)|\bseizure|\bconvuls\w+|"
            r"\bunconscious\b|\bunresponsive\b|\bswallowed\b|\bchok(ing|ed)\b|"
            r"\bbleeding\s+(a lot|heavily|badly|won'?t stop)|\bdrown\w*",
        ),
    )
)
ENGLISH_TOPIC = re.compile(r"\b(prevention|seminar|lecture|talk|workshop|course|class|event)\b")
ENGLISH_URGENT = re.compile(r"\b(now|help|knife|right now|tonight)\b")


# --- looking at a sentence ---------------------------------------------------------------


def _is_aux(t: Token) -> bool:
    return (
        t.pos.startswith(("助動詞", "接尾辞-動詞", "接尾辞-形容詞", "形状詞-助動詞語幹"))
        or t.pos.startswith(("動詞-非自立可能", "形容詞-非自立可能"))
        or t.pos.startswith("助詞-接続助詞")
        and t.lemma in ("て", "で", "ば", "ちゃ")
    )


def _tail(sent: list[Token], i: int) -> set[str]:
    """The words hanging off the predicate at i (auxiliaries, helper verbs, conjugation forms),
    with the word just after them."""
    found = {sent[i].form.split("-")[0]}
    j = i + 1
    while j < len(sent) and _is_aux(sent[j]):
        found |= {sent[j].lemma, sent[j].base, sent[j].form.split("-")[0]}
        j += 1
    if j < len(sent):
        found |= {sent[j].lemma, sent[j].base}
    return found


def _predicate(sent: list[Token], i: int) -> set[str]:
    """For a noun, its predicate (息+が+止まっ+た → 止まる, た); for a verb, its own tail."""
    if sent[i].is_noun:
        j = i + 1
        while j < len(sent) and sent[j].pos.startswith(("助詞-格助詞", "助詞-係助詞")):
            j += 1
        if j >= len(sent):
            return set()
        return _tail(sent, j) | {sent[j].lemma, sent[j].base}
    return _tail(sent, i)


def _unreal(tail: set[str]) -> bool:
    return bool(tail & UNREAL) or "仮定形" in tail


def _about(sent: list[Token]) -> bool:
    """Whether the sentence talks about a subject (a lecture, prevention) rather than a case."""
    text = "".join(t.surface for t in sent)
    return any(t.is_(TOPIC) for t in sent) or any(p in text for p in TOPIC_PHRASES)


def _noun_phrase(sent: list[Token], end: int) -> list[Token]:
    """The noun phrase ending just before index `end`: 子供 / 下 の 子 / ゆう くん."""
    k = end
    while k > 0 and (sent[k - 1].is_noun or sent[k - 1].lemma == "の" and k - 1 > 0):
        k -= 1
    return sent[k:end]


CASES = {"を": "を", "が": "が", "は": "が", "も": "を", "に": "に", "から": "に"}


def _arguments(sent: list[Token], i: int) -> dict[str, list[Token]]:
    """The case-marked phrases before the verb at i, back to the previous predicate."""
    args: dict[str, list[Token]] = {}
    before = sent[i - 1] if i > 0 else None
    if before and before.is_noun and not before.pos.endswith(("副詞可能", "数詞")):
        # 太鼓叩いて: the object without its を (but not 最近 or 3回, which are adverbial)
        args["を"] = _noun_phrase(sent, i)
    j = i - 1
    while j >= 0:
        t = sent[j]
        if t.pos.startswith(("助詞-格助詞", "助詞-係助詞")) and t.lemma in CASES:
            phrase = _noun_phrase(sent, j)
            args.setdefault(CASES[t.lemma], phrase)
            j -= len(phrase) + 1
        elif t.pos.startswith(("動詞-一般", "形容詞-一般")):
            break
        else:
            j -= 1
    return args


def _has(phrase: list[Token] | None, group: frozenset[str]) -> bool:
    return bool(phrase) and any(t.is_(group) for t in phrase)


def _who_is_hurt(args: dict[str, list[Token]], passive: bool, confessed: bool, unnamed_ok: bool):
    """The category of a hitting/harming verb, from its arguments; None when nobody is hurt."""
    subject, obj, to = args.get("が"), args.get("を"), args.get("に")
    if passive:
        if _has(to, CHILD | PEER):  # 子供に叩かれる, 友達に叩かれた: children among themselves
            return None
        return "child_abuse" if _has(subject, CHILD) else "dv"
    if _has(subject, CHILD) and not _has(subject, PARTNER):  # 上の子が下の子を叩く
        return None
    if _has(obj, CHILD):
        return "child_abuse"
    if _has(obj, PARTNER | SELF):
        return "dv"
    if obj and not _has(obj, BODY):  # 太鼓を叩く, 肩を叩く, 手を叩いて喜ぶ
        return None
    if _has(subject, PARTNER):  # 夫が殴ってくる
        return "dv"
    if confessed and (unnamed_ok or obj):  # たたいちゃった / 首を絞めたくなる: one's own child
        return "child_abuse"
    return None


def _violence(sent: list[Token], i: int) -> str | None:
    t = sent[i]
    tail = _tail(sent, i)
    if _unreal(tail) or tail & NEGATION and not tail & PASSIVE:
        return None
    args = _arguments(sent, i)
    for verb, noun in PHRASE_VERBS.items():
        if t.lemma == verb:
            if not _has(args.get("を"), frozenset({noun})):
                return None
            args = {**args, "を": args.get("に", [])}
            args.pop("に", None)
    return _who_is_hurt(args, bool(tail & PASSIVE), bool(tail & CONFESSION), t.is_(UNNAMED_VICTIM))


def _reading_matches(sent: list[Token]):
    """(category, first token, last token) of reading phrases aligned to token boundaries."""
    reading = ""
    starts, ends = [], {}
    for index, t in enumerate(sent):
        starts.append(len(reading))
        reading += t.reading
        ends[len(reading)] = index
    for index, start in enumerate(starts):
        for category, pattern in READINGS:
            m = pattern.match(reading, start)
            if m and m.end() in ends:
                yield category, index, ends[m.end()]


def _sentence(sent: list[Token]) -> tuple[set[str], bool]:
    """The categories a sentence signals, and whether a matched rule is urgent in itself."""
    about = _about(sent)
    found: set[str] = set()
    urgent = False
    lemmas = {t.lemma for t in sent} | {t.base for t in sent}
    for i, t in enumerate(sent):
        if t.is_(HIT | HARM) or t.lemma in PHRASE_VERBS:
            category = _violence(sent, i)
            if category:
                found.add(category)
                urgent |= t.lemma == "殺す"
        if t.lemma == "暴力" and not about and not _unreal(_predicate(sent, i)):
            child_only = any(s.is_(CHILD) for s in sent) and not any(s.is_(PARTNER) for s in sent)
            found.add("child_abuse" if child_only else "dv")
        for r in RULES:
            if not t.is_(r.heads) or t.is_noun and about:
                continue
            tail = _predicate(sent, i)
            if _unreal(tail) or tail & NOMINALISED:
                continue
            negation_expected = any(group & NEGATION for group in r.tail)
            if tail & NEGATION and not negation_expected:  # けいれんしてない, 死にたくない
                continue
            if not all(tail & group for group in r.tail):
                continue
            if not all(lemmas & group for group in r.also):
                continue
            found.add(r.category)
            urgent |= r.urgent
    for category, index, last in _reading_matches(sent):
        tail = _tail(sent, last)
        if about or _unreal(tail) or tail & NOMINALISED:
            continue
        if category == "child_abuse":
            verdict = _who_is_hurt(_arguments(sent, index), False, True, True)
            if verdict:
                found.add(verdict)
        else:
            found.add(category)
    return found, urgent


def _english(text: str) -> tuple[set[str], bool]:
    if ENGLISH_TOPIC.search(text):
        return set(), False
    found = {category for category, pattern in ENGLISH if pattern.search(text)}
    return found, bool(found and ENGLISH_URGENT.search(text))


def assess(text: str) -> Assessment | None:
    """Check one message for danger signals; None when there are none."""
    if not text or not text.strip():
        return None
    found, urgent = _english(normalise(text).lower())
    child_mentioned = False
    now = False
    for sent in analyse(text):
        categories, rule_urgent = _sentence(sent)
        found |= categories
        urgent |= rule_urgent
        child_mentioned |= any(t.is_(CHILD) for t in sent)
        now |= any(t.is_(URGENT) for t in sent)
    if not found:
        return None
    return Assessment(
        categories=frozenset(found),
        urgent=urgent or now or "medical" in found,
        child_at_risk="child_abuse" in found or child_mentioned and bool(found & {"dv", "suicide"}),
    )
