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


@pytest.mark.parametrize(
    "question",
    [
        "3am and my daughter is at 39.2, who do i call",
        "são 3 da manhã e meu filho está com 39 graus",
        "3 giờ sáng bé sốt 39 độ",
        "凌晨三点孩子烧到39度",
    ],
)
def test_a_fever_said_as_a_number_at_night_is_the_night_doctors_line(sample_index, question):
    assert "kodomo-iryou-denwa" in _answers(sample_index, question)


def test_thirty_eight_weeks_is_not_a_fever(city):
    from bot.knowledge.multilingual import japanese_query

    assert "熱" not in japanese_query("38 weeks pregnant, what should i prepare", city).split()


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("con em bi sot, mai em phai di lam khong nghi duoc", "byouji-koala"),  # sốt
        ("be nha minh 2 tuoi bi sau rang, kham o dau vay", "shika-2y"),  # răng, khám
        ("con minh can tiem phong, lich tiem o dau", "yobosesshu"),  # tiêm
    ],
)
def test_vietnamese_without_its_marks_finds_its_short_words(sample_index, question, key):
    assert key in _answers(sample_index, question)


def test_a_common_syllable_without_marks_is_not_read_as_a_short_word(city):
    """「cho」 is a preposition far more often than 「chó」 (a dog, another office's topic)."""
    from bot.knowledge.multilingual import japanese_query

    said = japanese_query("cho con choi o dau khi troi mua", city).split()
    assert "ペット" not in said and "児童館" in said


@pytest.mark.parametrize(
    "question",
    [
        "we live in sakuradai, is there a play space for a 1 year old?",
        "moramos em Sakuradai, tem espaço pra bebê brincar?",
        "nha em o sakuradai, co cho nao cho be 1 tuoi choi khong",
        "我们住在樱台，有没有给1岁宝宝玩的地方",
    ],
)
def test_a_town_of_the_city_is_read_as_its_area(sample_index, question):
    """The towns of each area (city.yaml `area_towns`), romanised or in Chinese, are the area."""
    assert sample_index.search(question, today=MONDAY).facets.area == "kita"


@pytest.mark.parametrize(
    "question",
    [
        "im pregnant and so tired, can someone help with the housework",
        "estou grávida e muito cansada, preciso de ajuda com a faxina",
        "đang mang bầu mệt quá, muốn có người giúp việc nhà",
        "怀孕了很累，想找人帮忙做家务",
    ],
)
def test_a_pregnancy_beside_a_need_is_the_situation(sample_index, question):
    """Being pregnant is a life event: beside help at home it is the family's situation, and
    the home helper is what is asked for (not the pregnancy notification)."""
    assert _answers(sample_index, question)[0] == "sanzen-sango-helper"


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("she has diarrhea and it's sunday night", "kodomo-iryou-denwa"),
        ("meu filho caiu da cama e bateu a boca, é domingo", "kodomo-iryou-denwa"),
        ("bé bị tiêu chảy từ tối qua, hôm nay là chủ nhật", "kodomo-iryou-denwa"),
        ("周日孩子拉肚子了", "kodomo-iryou-denwa"),
        ("how do i start potty training my 2 year old", "denwa-soudan"),
        ("minha filha de 3 anos ainda faz xixi na cama", "denwa-soudan"),
        ("con 3 tuổi vẫn còn tè dầm", "denwa-soudan"),
        ("老大吃醋，总是欺负二宝", "denwa-soudan"),
    ],
)
def test_symptoms_and_everyday_worries_by_name(sample_index, question, key):
    """An illness named (diarrhoea, a fall) on a Sunday finds the #8000 line; the toilet and a
    jealous older child find the consultations — each said by its own name in each language."""
    assert key in _answers(sample_index, question)
