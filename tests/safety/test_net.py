"""The safety net beside the rules (bot/safety/net.py): what it reads, that it answers when the
rules say nothing (at the crisis tier when its tier model says crisis, else at the concern
tier), that it leaves ordinary questions alone, and that the shipped weights are the ones its
training script makes from the data in the repository."""

import time

import pytest

from bot.safety import assess, net
from bot.safety.analysis import analyse
from bot.safety.matcher import focus, rules
from tests.quality import train_danger_net


def _tokens(text):
    return [t for s in analyse(text) for t in s]


def test_folding_reads_kana_width_case_spaces_and_apostrophes_alike():
    assert net.fold("ｺﾄﾞﾓｦ　ﾀﾀｲﾀ") == net.fold("こどもを たたいた") == "こどもをたたいた"
    assert net.fold("I DON'T want") == net.fold("i dont  want") == "i dont want"
    assert net.fold("お風呂で、泣いた！") == "お風呂で。泣いた。"


def test_features_are_stable_and_use_the_lemmas_when_given():
    text = "子どもを叩いた"
    alone, with_tokens = net.features(text), net.features(text, _tokens(text))
    assert (alone == net.features(text)).all()  # no per-process hash seed
    assert set(alone) < set(with_tokens)
    assert all(0 <= b < net.BUCKETS for b in with_tokens)


# Written for this test, in none of the training sets: the rules find nothing in them.
NET_ONLY = [
    ("習い事のコーチが娘に二人だけの秘密って言ってるらしい", "crisis"),  # grooming
    ("もうどこか遠くへ行ってしまいたい、子どもも一緒に", "crisis"),  # dying with a child
    ("最近ずっとぼーっとして赤ちゃんの世話が手につかない", "concern"),  # low mood after birth
]


@pytest.mark.parametrize("text, tier", NET_ONLY)
def test_the_net_answers_what_the_rules_miss_at_the_tier_its_tier_model_says(text, tier):
    assert rules(text) is None
    a = assess(text)
    assert a is not None and a.tier == tier and a.net_only and not a.urgent
    assert a.categories == frozenset()  # the net knows danger, not its kind


@pytest.mark.parametrize(
    "text",
    [
        "もうどこか遠くへ行ってしまいたい、子どもも一緒に。いま駅のホーム",  # a place at hand
        "子どもと一緒に遠くへ行ってしまいたい、今から",  # now
    ],
)
def test_a_net_only_crisis_at_hand_is_an_emergency_as_the_rules_own_would_be(text):
    # The same wish without the place or the time is the net's crisis (NET_ONLY above).
    assert rules(text) is None
    a = assess(text)
    assert a.net_only and a.tier == "emergency" and a.urgent


def test_a_net_only_crisis_needs_the_net_to_be_sure_as_well_as_the_tier_model():
    weights, bias, threshold, _ = net.model()
    _, _, tier_threshold, header = net.tier_model()
    assert threshold <= header["band"] < 1 and 0.5 <= tier_threshold < 1
    text = "習い事のコーチが娘に二人だけの秘密って言ってるらしい"
    buckets = net.features(text, _tokens(text))
    assert net.tier(buckets, header["band"]) == "crisis"
    assert net.tier(buckets, header["band"] - 0.01) == "concern"  # fires, but not sure enough


ORDINARY = [
    "保育園の申し込み方法",
    "ﾎｲｸｴﾝﾉﾓｳｼｺﾐ",
    "where is the nearest park",
    "死ぬほど眠い",
    "太鼓をたたいて遊ぶサロン",
    "2歳なのにまだ言葉が出ない",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_questions_and_idioms_stay_ordinary(text):
    assert assess(text) is None


def test_the_rules_decide_the_tier_when_they_find_something():
    a = assess("イライラして長男を蹴ってしまった")
    assert a.tier == "crisis" and "net" not in a.kinds


def test_the_shipped_weights_were_trained_on_the_data_in_the_repository():
    _, _, threshold, header = net.model()
    assert header["data"] == train_danger_net.data_hash(), (
        "the danger sets changed: retrain with python -m tests.quality.train_danger_net"
    )
    assert 0.5 <= threshold < 1
    assert net.tier_model()[3]["data"] == header["data"]  # both models from the same data


@pytest.mark.slow
def test_retraining_gives_the_same_weights():
    weights, bias, _, _ = net.model()
    cases, x, y, _ = train_danger_net.prepare()
    w, b = train_danger_net.fit(x, y, train_danger_net.weights_of(cases))
    assert abs(b - bias) < 1e-3
    assert (abs(w.astype("float16").astype("float32") - weights) <= 1e-3).all()


CALM = ("今日は子どもと公園に行って、すべり台で遊びました。" * 500 + "あ" * 5000)[:20000]


@pytest.mark.parametrize("where", [0, 9000, 19990])
@pytest.mark.parametrize(
    "danger, tier",
    [("夫が娘の下着の中に手を入れていた。", "crisis"), ("息子の首を絞めてしまった。", "emergency")],
)
def test_a_very_long_text_is_scanned_whole_and_the_danger_found_wherever_it_is(where, danger, tier):
    text = CALM[:where] + danger + CALM[where:]
    assert len(focus(text)) < 2600  # only the pieces the net ranks highest are read closely
    assert assess(text).tier == tier


def test_a_very_long_text_is_checked_in_well_under_a_second():
    assess("準備")
    start = time.process_time()
    assert assess(CALM) is None
    assert time.process_time() - start < 0.3  # ~30 ms here; 1.7 s before it was focused


def test_a_short_text_is_read_whole():
    text = "今日は公園に行きました。" * 100
    assert focus(text) == text
