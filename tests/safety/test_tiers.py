"""The graded danger check: each tier and kind, mood (negation, hypotheticals, fear), who does
what to whom, near-misses, English, long texts, and the lexicon files themselves."""

import pytest

from bot.safety import TIERS, Assessment, assess
from bot.safety.lexicon import CATEGORIES, lexicon, raw_files
from bot.safety.matcher import rules

# (message, tier, a kind it must carry)
BY_KIND = [
    # emergency: a medical emergency, happening now, a lethal means
    ("赤ちゃんが息してない", "emergency", "medical"),
    ("my son swallowed a battery", "emergency", "medical"),
    ("今旦那に殴られてる", "emergency", "dv"),
    ("睡眠薬を全部飲んだ", "emergency", "medical"),  # an overdose: 119 first
    ("子どもを道連れにして死のうと思ってる", "emergency", "suicide_with_child"),
    # crisis: the four kinds of abuse, reports about another child, DV, wishes to die
    ("イライラして長男を蹴ってしまった", "crisis", "physical_abuse"),
    ("赤ちゃんを車に置いたままパチンコしてた", "crisis", "neglect"),
    ("もう2日もごはんたべさせてない", "crisis", "neglect"),
    ("子供に死ねと言ってしまった", "crisis", "psychological_abuse"),
    ("義父に娘が体を触られたみたい", "crisis", "sexual_abuse"),
    ("隣の子がいつも同じ服を着ている", "crisis", "report"),
    ("近所の子の腕にいつもあざがある", "crisis", "report"),
    ("夫が生活費を渡してくれない、働くことも許されない", "crisis", "dv"),
    ("子どもたちの前で旦那が暴れる", "crisis", "witnessed_dv"),
    ("目が覚めなければいいと思いながら寝てる", "crisis", "suicide"),
    ("私なんかいない方がいい", "crisis", "suicide"),
    # concern: the fear of harming, exhaustion, low mood after birth, the bond
    ("叩いてしまいそう", "concern", "fear_of_harm"),
    ("泣き声を聞くとカッとなって抑えられない", "concern", "fear_of_harm"),
    ("もう限界、休みたい", "concern", "exhaustion"),
    ("産後うつかもしれない", "concern", "postnatal_mood"),
    ("かわいいと思えない", "concern", "bond"),
]


@pytest.mark.parametrize("text, tier, kind", BY_KIND, ids=[t for t, _, _ in BY_KIND])
def test_each_tier_and_kind(text, tier, kind):
    a = assess(text)
    assert a is not None, "missed"
    assert (a.tier, kind in a.kinds) == (tier, True), a
    assert a.urgent is (tier == "emergency")
    assert a.categories <= set(CATEGORIES)


@pytest.mark.parametrize(
    "text",
    [
        "叩いたことはない",
        "子どもに手をあげたりはしていません",
        "死にたいとは思っていません",
        "もし子供を叩いたら通報されますか",
        "子供を叩かないように気をつけています",
        "熱性けいれんを起こしたらどうすればいい？",
        "What should I do if my baby has a seizure?",
        "I would never hit my child",
    ],
)
def test_negated_and_hypothetical_harm_is_no_alarm(text):
    assert assess(text) is None


def test_a_feared_harm_is_a_concern_but_a_lethal_one_is_not():
    assert assess("叩いてしまいそう").tier == "concern"
    assert assess("叩きたくなる").tier == "concern"
    assert assess("首を絞めたくなる時がある").tier == "crisis"
    assert assess("このままだと子供を殺してしまいそう").tier == "emergency"
    # …and a real harm, confessed, is a crisis
    assert assess("叩いてしまった").tier == "crisis"


def test_shouting_told_with_the_fear_of_oneself_is_a_concern():
    # A parent venting that they shout every morning and fear themselves: losing control, no page
    assert assess("イヤイヤ期で毎朝怒鳴ってる。自分が怖い").tier == "concern"
    assert assess("毎朝どなってばっかりで、じぶんがこわい").tier == "concern"
    assert assess("i yell at my kids every day and im scared im turning into my dad").tier == (
        "concern"
    )
    # Shouting day after day with no such fear is still a crisis…
    assert assess("毎朝子どもに怒鳴り散らしてる").tier == "crisis"
    # …and a harm done stays done, whatever fear follows it
    assert assess("毎日子どもを叩いてる、自分が怖い").tier == "crisis"
    assert assess("叩いちゃった、自分が怖い").tier == "crisis"
    assert assess("叩いてしまうのが怖い").tier == "concern"


@pytest.mark.parametrize(
    "text",
    [
        "i yelled at her again today and i scare myself",  # the simulator walk, round 4
        "lost my temper with my son again, every morning it's the same",
        "i keep blowing up at my toddler and then i cry",
        "i'm terrified of what i'm becoming with my kids",
        "i can't control my anger with the baby",
    ],
)
def test_an_english_parent_losing_control_gets_the_concern_answer(text):
    found = assess(text)
    assert found is not None and found.tier == "concern" and "fear_of_harm" in found.kinds


@pytest.mark.parametrize(
    "text",
    [
        "the coach keeps yelling at the kids during practice, should i say something?",
        "she keeps screaming at her brother when they play",
        "my toddler can't control his anger when we leave the park",
        "i lost my keys again today",
    ],
)
def test_someone_elses_temper_or_a_childs_is_no_alarm(text):
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "上の子が下の子を叩くのがやめられない、どう声をかけたらいい？",  # the act's subject a child
        "姉妹でつねりあいのけんか、止めても止めてもやる",  # done to each other
        "子ども同士で蹴りあってる、止めたほうがいい？",
    ],
)
def test_children_hurting_one_another_is_no_alarm(text):
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    ["子どもを叩くのがやめられない", "夫が上の子を叩くのがやめられない"],
)
def test_a_grown_up_who_cannot_stop_hitting_a_child_is_still_a_crisis(text):
    found = assess(text)
    assert found is not None and found.tier == "crisis" and "physical_abuse" in found.kinds


@pytest.mark.parametrize(
    "feared", ["首を絞めたくなる時がある", "揺さぶってしまいそう", "口をふさいでしまいそう"]
)
def test_a_lethal_fear_told_with_shouting_stays_a_crisis(feared):
    # Shouting lowers the fear of harming to a concern, never a feared lethal act, a crisis alone
    assert assess(feared).tier == "crisis"
    assert assess("毎朝子どもに怒鳴ってる。" + feared).tier == "crisis"


@pytest.mark.parametrize(
    "text, tier",
    [
        ("おばあちゃんが孫を物差しで叩いた", "crisis"),  # お|ばあ|ちゃん is a grown-up
        ("宿題しない娘の手を定規でたたいた", "crisis"),  # 宿題 done, not the topic
        ("ゲームばかりする息子を殴った", "crisis"),  # a game played, not play
        ("うちに遊びにくる子が、お母さんの新しい彼氏がこわいって言ってた", "crisis"),  # a visit
        ("息子の友達が遊びに来るといつもお腹すかせてる", "crisis"),  # his friend: another family's
        ("予防接種も健診もぜんぶ無視してる", "crisis"),
        ("ほうちょう持ったまま台所から動けない", "emergency"),
        ("車のエンジンかけたままガレージ閉めた", "emergency"),
        ("子どもが病気でも病院連れてかない", "crisis"),  # 連れてかない: ていく said short
        ("義理の兄が娘にやたらべたべたさわってくる", "crisis"),  # a grown-up, touching to excess
        ("my son ate peanuts and his face is swelling up, hes wheezing", "emergency"),
    ],
)
def test_round_4_readings(text, tier):
    found = rules(text)
    assert found is not None and found.tier == tier, found


@pytest.mark.parametrize(
    "text",
    [
        "叩くゲームをする",
        "10分だけ子ども寝てる間にゴミ出し行っていい？",
        "練炭コンロで焼肉するキャンプ場ある？",
        "ネントレで泣いても放っておく方法",
        "死にたいとかではないけど、疲れた",
        "hes got a swollen knee and wheezes a bit from his cold",
        # a member's worry (tests/cases/test_case_life.py): tired, not a home with no adult
        "気になる 1歳の男の子、最近サロンで元気がない。お母さんも疲れている様子",
        # days out with a child: no 110/119 (the words of dying with a child, matched as a set)
        "子どもを連れて川に入って遊べる場所はありますか",
        "夏休みの最後に子どもを連れて海に行った",
        "子どもと一緒に山に行くのは疲れるけど楽しい",
        # a child clinging, a child-safety question: no neglect, no 110/119
        "後追いがひどくて、お母さんの姿が見えないと泣きます",
        "子どもがガスの元栓を開けてしまわないか心配",
    ],
)
def test_round_4_near_misses_are_no_rule(text):
    assert rules(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("息子を叩いた", {"child_abuse"}),  # the parent to the child
        ("夫が私を叩く", {"dv"}),  # the partner to the parent
        ("夫が子供を殴る", {"child_abuse"}),  # the partner to the child
        ("向かいのお母さんが子供を殴ってるのを見た", {"child_abuse"}),  # a neighbour to theirs
        ("上の子が下の子を叩く", None),  # child to child
        ("子供に叩かれる", None),  # a child hitting the parent
        ("太鼓を叩く", None),  # a thing
    ],
)
def test_who_does_what_to_whom(text, expected):
    a = assess(text)
    assert (a.categories if a else None) == expected


def test_a_report_about_another_child_is_a_crisis_about_that_child():
    a = assess("近所の子が夜中に一人で歩いていた")
    assert a.tier == "crisis" and {"report", "neglect"} <= a.kinds and a.child_at_risk
    # the same sign in one's own child is no report (the safety net, near its threshold here,
    # may offer the concern lines: no alert either way)
    own = assess("うちの子は夜中に一人で起きて歩いていた")
    assert own is None or own.tier == "concern" and own.kinds == {"net"}


@pytest.mark.parametrize(
    "text",
    [
        "太鼓をたたいて遊ぶサロン",
        "息子と戦いごっこしてたら蹴られた",
        "死ぬほど眠い",
        "授業で手を上げて発表できた",
        "スマホに手を出してしまった、買い替え",
        "虐待防止の講座はありますか",
        "ニュースで虐待の事件を見て悲しくなった",
        "兄弟げんかで弟が兄を蹴った",
        "this heat is killing me",
        "my son bites other kids at daycare",
        "Is there a seminar on child abuse prevention?",
    ],
)
def test_near_misses_stay_ordinary(text):
    assert assess(text) is None


@pytest.mark.parametrize(
    "text, tier",
    [
        ("I slapped my daughter hard across the face", "crisis"),
        ("My husband hits me", "crisis"),
        ("I don't want to live anymore", "crisis"),
        ("I'm afraid I'll hurt my baby", "concern"),
        ("I think I have postpartum depression", "concern"),
        ("my daughter fell from the balcony", "emergency"),
    ],
)
def test_english(text, tier):
    assert assess(text).tier == tier


def test_spellings_fold_kanji_hiragana_katakana_and_half_width():
    for text in ("子供を叩いてしまった", "こどもをたたいてしまった", "ｺﾄﾞﾓｦﾀﾀｲﾃｼﾏｯﾀ"):
        assert assess(text).tier == "crisis", text


def test_a_very_long_text_is_read_in_pieces_without_error():
    calm = "今日は子どもと公園に行って、すべり台で遊びました。" * 800  # 20,000 characters
    assert len(calm) >= 20_000 and assess(calm) is None
    assert assess("あ" * 20_000) is None  # no sentence end at all
    hidden = calm + "もう死にたい。"
    assert assess(hidden).tier == "crisis"


def test_assessment_tier_and_urgency_agree():
    assert Assessment(frozenset({"medical"}), True).tier == "emergency"
    assert Assessment(frozenset({"dv"}), False).tier == "crisis"
    assert Assessment(frozenset(), False, tier="concern").urgent is False
    assert TIERS == ("concern", "crisis", "emergency")


def test_the_lexicon_files_load_and_every_kind_has_entries():
    files = raw_files()
    assert {"words.yaml", "abuse.yaml", "dv.yaml", "suicide.yaml", "concern.yaml"} <= set(files)
    lex = lexicon()
    for name in (
        "physical_abuse",
        "sexual_abuse",
        "psychological_abuse",
        "neglect",
        "dv",
        "witnessed_dv",
        "suicide",
        "suicide_with_child",
        "fear_of_harm",
        "exhaustion",
        "postnatal_mood",
        "bond",
        "medical",
    ):
        kind = lex.kinds[name]
        assert kind.acts or kind.phrases, name
        assert all(
            slot.words
            for p in kind.acts + kind.phrases + kind.signs
            for p in [p]
            for slot in p.slots
        ), name
    for group in ("child", "partner", "self", "adult", "third_party", "negation", "topic"):
        assert lex[group].words, group
    english_kinds = {rule["kind"] for rule in lex.english["rules"]}
    assert english_kinds <= set(lex.kinds), english_kinds - set(lex.kinds)


def test_a_city_can_extend_the_lexicon(tmp_path, monkeypatch):
    from bot.safety import lexicon as module

    for name, data in raw_files().items():
        (tmp_path / name).write_text(__import__("yaml").safe_dump(data, allow_unicode=True))
    (tmp_path / "city.yaml").write_text(
        "kinds:\n  city_words:\n    category: child_abuse\n    tier: crisis\n"
        "    phrases: [ぶっとばす]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BOT_SAFETY_LEXICON", str(tmp_path))
    module.lexicon.cache_clear()
    try:
        assert "city_words" in module.lexicon().kinds
    finally:
        monkeypatch.delenv("BOT_SAFETY_LEXICON")
        module.lexicon.cache_clear()


def test_an_english_wish_to_die_that_names_a_child_gives_the_childs_lines_too():
    with_child = assess("i feel like disappearing with my baby, far away where nobody finds us")
    assert with_child.tier == "crisis" and with_child.child_at_risk
    assert not assess("i want to die").child_at_risk


def test_a_short_message_split_by_a_full_stop_is_read_as_one_thought():
    # Neither sentence alone names the danger; together they do.
    assert assess("再婚相手が娘とお風呂に入りたがる。娘はすごく嫌がってる").tier == "crisis"
    assert assess("パパとお風呂に入りたがる。最近はシャワーだけ") is None


def test_sexual_abuse_named_vaguely_is_read_unless_between_children():
    assert assess("娘が叔父さんに変なことされたって泣いてる").tier == "crisis"
    assert assess("保育園で友達に変なことされたらしい") is None


# Parents' ordinary questions that once raised an emergency or a crisis (a page for the
# specialists, 110/119 for the parent): eyes that do not meet yours are a question about
# development; "gone" said of a fever is not a wish to be gone. The same words with what makes
# them urgent still are.
@pytest.mark.parametrize(
    "typed",
    [
        "2歳、呼んでも目が合わないことが多くて発達が心配",
        "1さいはん なまえをよんでも めがあわない きがする",
        "the rash is gone but daycare says he cant come back till monday",
    ],
)
def test_ordinary_questions_with_urgent_looking_words_raise_no_alarm(typed):
    assert rules(typed) is None


@pytest.mark.parametrize(
    "typed",
    ["熱が40度あって、呼びかけても目が合わない", "頭を打ってから名前を呼んでも目が合わない"],
)
def test_eyes_that_do_not_meet_yours_after_a_fever_or_a_fall_are_an_emergency(typed):
    assert assess(typed).tier == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        # everyday use of what can be a lethal means (round 4's means were matched as bare sets)
        "子どもを抱っこして海に入るのは何歳から？",
        "市販薬をまとめて買うと安いですか",
        "クローゼットにベルトを吊るす収納",
        "子どもがコードを柱に結んで遊んでいる",
        # care questions and worries beside round 4's neglect told by a parent
        "歯磨きを嫌がって全然させてくれない、虫歯が心配です",
        "靴が小さくなったけどまだ買ってない…",
        "赤ちゃんを大人と同じお風呂に入れるのは一ヶ月以上たってからですか",
        "夜中は一回だけおむつを替えています。一日何回が普通ですか",
        "湿疹に薬を塗るのを嫌がって面倒です",
        # a day out, a thunderstorm: no report about another family's child
        "息子の友達が公園から家に帰りたくないとぐずる",
        "保育園で雷が怖いと泣く子がいて、お母さんが迎えに来た",
    ],
)
def test_everyday_questions_with_round_4_words_are_no_rule(text):
    assert rules(text) is None


@pytest.mark.parametrize(
    "text, tier",
    [
        ("もう限界。市販薬を何箱も買ってきた", "emergency"),
        ("ロープをドアノブに結んだ、もう終わりにしたい", "emergency"),
        ("歯磨きなんて一度もさせてない、虫歯だらけ", "crisis"),
        ("お風呂もう二週間入れてない", "crisis"),
        ("隣の子が家に帰りたくないって夜まで外にいる", "crisis"),
        ("近所の子、お母さんの新しい彼氏が怖いって言ってた", "crisis"),
    ],
)
def test_the_same_means_and_neglect_told_plainly_keep_their_tier(text, tier):
    found = rules(text)
    assert found is not None and found.tier == tier, found


def test_low_mood_after_birth_typed_in_kana_is_read():
    # 泣いて typed as ないて is read by Sudachi as 無い+て: the kind's reading catches it
    found = assess("こどもがうまれてから毎日ないてばかり")
    assert found is not None and found.tier == "concern" and "postnatal_mood" in found.kinds
