"""Kinds of need said in the other languages (a life event, a milestone, an errand elsewhere),
each in the four languages: the multilingual map gives the Japanese words the needs read."""

from datetime import date

import pytest

MONDAY = date(2026, 11, 30)


def _answers(index, question):
    return [h.entry.key for h in index.search(question, today=MONDAY).answers[:3]]


@pytest.mark.parametrize(
    "question",
    [
        "we just arrived in japan with our 2 year old",
        "acabamos de chegar no Japão com um bebê",
        "gia đình mình mới sang Nhật được một tuần",
        "我们刚搬过来，孩子两岁",
    ],
)
def test_arriving_is_a_move(sample_index, question):
    """Arriving in the city (or in Japan) is the move's life event: its registrations."""
    result = sample_index.search(question, today=MONDAY)
    assert "moved" in result.needs
    assert {"jido-teate", "iryouhi-josei", "riyousha-shien-kihon"} & set(
        _answers(sample_index, question)
    )


@pytest.mark.parametrize(
    "question",
    [
        "my maternity leave ends in march",
        "minha licença termina em abril",
        "tháng sau em hết thai sản rồi",
        "产假快结束了",
    ],
)
def test_a_leave_that_ends_is_back_to_work(sample_index, question):
    assert "hoikusho-moushikomi" in _answers(sample_index, question)


@pytest.mark.parametrize(
    "question",
    [
        "my son turns 3 next week",
        "minha filha vai fazer 3 anos",
        "bé nhà mình sắp tròn 3 tuổi",
        "宝宝快满3岁了",
    ],
)
def test_reaching_an_age_is_that_ages_checkup(sample_index, question):
    assert "kenshin-3y" in _answers(sample_index, question)


@pytest.mark.parametrize(
    "question",
    [
        "took a pregnancy test this morning and there are two lines",
        "fiz o teste de gravidez e deu positivo",
        "que thử thai lên hai vạch rồi",
        "验孕棒两条杠了",
    ],
)
def test_a_positive_test_is_a_pregnancy(sample_index, question):
    assert "boshi-techo" in _answers(sample_index, question)


@pytest.mark.parametrize(
    "question",
    [
        "any ballet lessons for a 5 year old girl?",
        "tem escolinha de futebol para criança de 5 anos?",
        "có lớp học võ cho bé 6 tuổi không",
        "where can i buy a car seat for the baby",
        "onde comprar carrinho de bebê usado",
        "do i need to do a tax return for my kids",
        "lãnh sự quán ở đâu để làm giấy tờ cho con",
        "孩子的签证怎么办",
    ],
)
def test_a_lesson_or_an_errand_elsewhere_is_told_nothing_fits(sample_index, question):
    """A child's lessons or sports, buying things, taxes, embassies, visas: nothing in the list,
    said so — the child or an age beside them does not make a card an answer."""
    result = sample_index.search(question, today=MONDAY)
    assert result.unrelated and result.answers == []


@pytest.mark.parametrize(
    "question",
    [
        "need someone to take my son to soccer after school",
        "alguém pra buscar minha filha na natação",
        "cần người đón con đi học bơi về",
        "谁能帮我接孩子去上游泳课",
    ],
)
def test_a_pickup_from_a_lesson_is_still_a_pickup(sample_index, question):
    assert "famisapo" in _answers(sample_index, question)
