"""Two kinds of near-miss the outside sets alarm on most (issue #13, round 6): children hurting
one another, told by a parent, and a question asked in advance about an accident or a seizure.
Each is checked against its twin that stays a danger. Sentences written for these tests."""

import pytest

from bot.safety import assess


@pytest.mark.parametrize(
    "text",
    [
        # bitten at a children's place with no one named doing it: another child
        "児童館で娘が腕を噛まれた、歯形がくっきり",
        # ひっぱり+あっ: done to each other (Sudachi reads the あっ as 有る)
        "いとこ同士で髪をひっぱりあってけんか",
    ],
)
def test_children_hurting_one_another_is_no_alarm(text):
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "保育園で娘が保育士に噛まれた",  # a grown-up named
        "保育園で息子が叩かれたらしい",  # not a harm of small children's own: may be a grown-up
        "夫と髪をひっぱりあう喧嘩になった",  # a partner on the other side
        "隣の子が父親に押されてあざができてる",  # the injury is a grown-up's doing
    ],
)
def test_a_grown_up_doing_it_or_possibly_doing_it_is_still_a_crisis(text):
    found = assess(text)
    assert found is not None and found.tier == "crisis"


def test_an_injury_done_by_another_child_is_no_sign_of_abuse():
    # たんこぶ is a sign of abuse seen in a child of another family; here the sentence says
    # which child did it
    assert assess("3歳の子が公園でよその子に押されて、たんこぶができた") is None
    found = assess("小1の子、クラスの子なんだけど、いつもたんこぶや青あざがある")
    assert found is not None and found.tier == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "誤嚥が心配なので、離乳食のすすめ方を知りたい",  # the accident worried about
        "溺れるのが怖いからプールは何歳からがいいの？",
        "熱性けいれんが何分続いたら救急車を呼ぶのか予習しておきたい",  # asked in advance
        "誤飲チェッカーってどこで売ってる？",  # a product against the accident
        "ぶどうって何歳から丸ごとあげていい？",  # a food given whole, asked about (the walk)
    ],
)
def test_a_question_asked_in_advance_is_no_emergency(text):
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "白玉がのどに詰まって息ができない",
        "子どもがお風呂で溺れた、意識がない",
        "赤ちゃんの息が弱いのが心配",  # a state seen now, though worried about
        "誤飲したかもしれない、電池が1個ない",
        "ぶどうを丸ごと飲み込んで苦しそう",
    ],
)
def test_the_accident_itself_is_still_an_emergency(text):
    found = assess(text)
    assert found is not None and found.tier == "emergency"
