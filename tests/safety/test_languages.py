"""Danger in Portuguese, Vietnamese and Chinese (bot/safety/languages.py): the bot speaks them,
so a parent who writes in them must get the routes at once — a walk in Portuguese found 「quero
sumir agora」 from a station platform answered with search results. Sentences written for these
tests, as parents type them (accents dropped, slang, no punctuation)."""

import pytest

from bot.safety import assess
from bot.safety.languages import fold


def test_folding_drops_accents_case_and_punctuation():
    assert fold("Não aguento MAIS!!") == "nao aguento mais"
    assert fold("Muốn chết, đau quá") == "muon chet dau qua"


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        # Portuguese
        ("to na plataforma com meu bebe, quero sumir agora", "emergency"),
        ("as vezes penso q seria melhor se eu morresse", "crisis"),
        ("meu marido me enforcou ontem, as criancas viram tudo", "crisis"),
        ("bati na minha filha de novo, deixou marca no braco", "crisis"),
        ("meu bebe nao esta respirando, a boca ta roxa", "emergency"),
        ("nao aguento mais, choro escondido todo dia", "concern"),
        # Vietnamese, with and without diacritics
        ("em mệt lắm, muốn chết cho xong", "crisis"),
        ("chong em danh em truoc mat con", "crisis"),
        ("con em khong tho, moi tim", "emergency"),
        ("em đang đứng trên cầu vượt, muốn chết cùng con", "emergency"),
        ("kiệt sức rồi, không ai giúp", "concern"),
        # Chinese
        ("我真的不想活了", "crisis"),
        ("老公又打我了，现在还在砸门", "emergency"),
        ("宝宝吞了纽扣电池", "emergency"),
        ("产后抑郁，每天都哭", "concern"),
    ],
)
def test_each_language_is_answered_at_its_tier(text, tier):
    found = assess(text)
    assert found is not None and found.tier == tier, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "to morta de cansaco kkk, onde tem hiroba no sabado?",  # an idiom of tiredness
        "nao quero morrer de tedio nas ferias, tem atividade pra criancas?",
        "vou matar a saudade da minha mae no brasil, como tiro o passaporte do bebe?",
        "mệt chết đi được, chỗ nào cho bé chơi cuối tuần",  # idiom
        "dạo này con hay khóc đêm, có lớp nào cho mẹ không",  # dạo is not dao (a knife)
        "累死了，周末哪里可以带娃玩",  # idiom
        "笑死，宝宝学会走路了",
        "我不想死，只是想找人聊聊育儿的事",  # negated
        "子どもの溺水事故を防ぐには？",  # Japanese kanji are not read as Chinese
    ],
)
def test_idioms_and_negations_stay_ordinary(text):
    assert assess(text) is None, text


def test_a_wish_to_die_with_a_child_named_gives_the_childs_lines_too():
    assert assess("quero sumir com meu filho").child_at_risk


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        # who and what, anywhere in the message (`together`): another family's child hurt by an
        # adult in charge of them
        ("o professor de natacao deu um tapa na cara de um menino, vi tudo", "crisis"),
        ("thay giao o truong hay tat hoc sinh, con em ke lai", "crisis"),
        ("幼儿园老师掐孩子的胳膊 我亲眼看到的", "crisis"),
        # a child telling of a parent
        ("meu padrasto me bate todo dia, tenho 11 anos", "crisis"),
        ("我妈喝醉了就打我 我才10岁", "crisis"),
        # a partner keeping the papers, the phone
        ("meu marido escondeu meu passaporte e nao me deixa trabalhar", "crisis"),
        ("chồng kiểm tra điện thoại của em mỗi tối, cấm em gặp bạn", "crisis"),
        ("老公把我的在留卡收走了", "crisis"),
        # violence going on now, spelt as texted (ck = chồng, e = em)
        ("ele ta esmurrando a porta agora", "emergency"),
        ("ck dang dap cua, e so lam", "emergency"),
        ("他在踹门 我和孩子躲在房间", "emergency"),
        # a scald, a child left in a car
        ("derrubou cafe quente no bebe, ta cheio de bolhas", "emergency"),
        ("be bi do nuoc soi vao chan, phong het roi", "emergency"),
        ("孩子被热汤烫伤了 一大片", "emergency"),
        ("tem um bebe sozinho no carro no estacionamento faz meia hora", "emergency"),
    ],
)
def test_who_did_what_and_what_is_going_on_now(text, tier):
    found = assess(text)
    assert found is not None and found.tier == tier, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "vi na tv um caso de bebe esquecido no carro, q medo",  # the news
        "đọc tin thầy giáo tát học sinh mà sợ, trường nào ở đây tốt",
        "新闻说有老师打孩子 好可怕",
        "como evitar q o bebe se queime com agua quente no banho?",  # asked in advance
        "làm sao để phòng tránh bé bị bỏng nước sôi",
        "怎么预防孩子被开水烫伤",
        "o tecnico do meu filho chuta a bola com eles todo sabado",  # a coach playing
    ],
)
def test_the_news_and_questions_in_advance_stay_ordinary(text):
    assert assess(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "nóng muốn chết, có hồ bơi trong nhà nào cho bé không",  # 'to death' that says very
        "thèm bún bò muốn chết, gần shiyakusho có quán nào",
        "to morrendo de rir com meu filho, onde tem aula de natacao pra bebe",
        "饿死了，附近有可以带娃吃饭的地方吗",
        "sợ bé bị ngạt khi ngủ chung, nên cho bé ngủ riêng lúc mấy tháng",  # worried beforehand
        "báo đưa tin bé ngã từ ban công, nhà có dịch vụ kiểm tra an toàn không",  # the news
    ],
)
def test_idioms_worries_beforehand_and_the_news_stay_ordinary(text):
    assert assess(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "gọi mãi bé không dậy, người lả đi",  # what a parent sees
        "ela caiu de cabeça do sofá e ta muito mole",
        "孩子从床上摔下来 头着地 吐了好几次",
        "to no parapeito do 9 andar, n aguento mais viver",  # a height at hand
        "e dang cam lưỡi dao, khong muon song nua",
    ],
)
def test_what_a_parent_sees_and_a_means_at_hand_are_emergencies(text):
    found = assess(text)
    assert found is not None and found.tier == "emergency", (text, found)
