"""Whether anything in the list fits: a question that ends on something the city's list does not
have is told so, even when an entry shares its generic words (助成, 教室, 申請 …); a question that
ends on a need the list meets is answered, whatever else it mentions on the way."""

from collections import Counter

import pytest

from bot.knowledge.fits import GENERIC, KNOWN, UNKNOWN, nothing_fits, verdicts, words
from tests.knowledge.helpers import TODAY


@pytest.mark.parametrize(
    "question",
    [
        "眼鏡の購入費の助成はありますか",  # a grant, but for something no entry covers
        "書道教室を探してる",  # a class, of a kind the city does not list
        "ひとり親になった。車の購入の補助金がほしい",  # a known life event, then the unknown ask
        "補聴器の助成",
        "子ども会の会費",
    ],
)
def test_a_question_ending_on_something_not_in_the_list_gets_no_answer(sample_index, question):
    result = sample_index.search(question, today=TODAY)
    assert result.unrelated and result.answers == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("ひとり親になって手当のことを知りたい", {"jido-teate", "iryouhi-josei"}),
        ("予防接種の予約の方法", {"yobosesshu"}),  # 予約, 方法: which detail, not what for
        ("離乳食教室の日程", {"rinyushoku"}),
        ("児童手当の申請", {"jido-teate"}),
        ("保育園の入園申込みの書類", {"hoikusho-moushikomi"}),
        ("法事に出る間、半日だけ預かってほしい", {"ichiji-center", "famisapo", "shortstay"}),
        ("双子のサークル", {"futago-salon"}),
    ],
)
def test_generic_words_around_a_known_need_still_find_it(sample_index, question, expected):
    result = sample_index.search(question, today=TODAY)
    assert not result.unrelated
    assert {h.entry.key for h in result.answers[:3]} & expected


def test_the_order_decides_an_unknown_word_before_a_known_need_does_not_count():
    def judged(*pairs):
        return [(w, v, 0) for w, v in pairs]

    assert nothing_fits(judged(("ひとり親", KNOWN), ("扶養", UNKNOWN), ("申請", GENERIC)))
    assert not nothing_fits(judged(("結婚式", UNKNOWN), ("預け", KNOWN)))
    assert nothing_fits(judged(("食堂", UNKNOWN)))  # nothing known at all
    assert not nothing_fits([])


def test_a_parents_own_words_after_a_known_need_ask_for_nothing_the_list_lacks():
    # Unknown words at the end, but no kind of help asked for with them: answered.
    assert not nothing_fits([("離乳食", KNOWN, 0), ("バトル", UNKNOWN, 0)])
    # The generic word must be in the same sentence as the unknown one.
    assert not nothing_fits([("申請", GENERIC, 0), ("離乳食", KNOWN, 0), ("バトル", UNKNOWN, 1)])


@pytest.mark.parametrize(
    "question",
    [
        "ママ友いなくて公園デビューも失敗した気がする",
        "離乳食を全然食べてくれなくて毎食バトル",
        "保育園の入園の書類の書き方がわからない",  # 書き方: a detail asked, not a service
        "児童手当の振込日っていつ",
    ],
)
def test_run_on_messages_around_a_known_need_are_answered(sample_index, question):
    result = sample_index.search(question, today=TODAY)
    assert not result.unrelated and result.answers


def test_generic_words_count_neither_way_and_a_reading_does_not_make_a_kanji_word_known():
    generic = frozenset({"助成", "じょせい"})
    known_forms = {"しょうがく", "小学生"}  # 奨学 reads しょうがく like 小学: not the same word
    judged = verdicts(words("奨学の助成"), frozenset(), known_forms.__contains__, generic)
    assert judged == [("奨学", UNKNOWN, 0), ("助成", GENERIC, 0)]


def test_a_compound_is_known_by_its_pieces_unless_one_is_unknown_or_only_generic():
    known_forms = {"おむつ", "児童", "手当", "一時"}.__contains__
    generic = frozenset({"手当", "育児"})
    assert verdicts(words("紙おむつ"), frozenset(), known_forms, generic) == [
        ("紙おむつ", KNOWN, 0)
    ]
    assert verdicts(words("児童扶養手当"), frozenset(), known_forms, generic)[0][1] == UNKNOWN
    assert verdicts(words("育児一時金"), frozenset(), known_forms, generic)[0][1] == UNKNOWN


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("目がよってる気がする、斜視かも", {"riyousha-shien-boshi", "hattatsu-soudan"}),
        ("産んでから尿もれがひどい", {"sango-care", "riyousha-shien-boshi", "sodan-kids-yoga"}),
        ("うちの子1さい半なのにまだあるかない…", {"hattatsu-soudan", "kenshin-18m"}),
        ("むすこがうんちでない、もう3日も", {"riyousha-shien-boshi", "denwa-soudan"}),
    ],
)
def test_a_body_symptom_in_words_the_data_lacks_is_never_told_nothing_fits(
    sample_index, question, expected
):
    """A child's or a mother's body is what the health centre meets: a symptom named in a word
    no entry uses (斜視, 尿もれ) finds the consultation instead of 'not in the list'."""
    result = sample_index.search(question, today=TODAY)
    assert not result.unrelated
    assert expected & {h.entry.key for h in result.answers[:3]}


@pytest.mark.parametrize(
    "question", ["犬の予防注射ってどこで受けられる？", "子どもの視力の検査、ペットも一緒に？"]
)
def test_another_offices_topic_is_still_told_nothing_fits_beside_a_body_need(
    sample_index, question
):
    result = sample_index.search(question, today=TODAY)
    assert result.unrelated and result.answers == []


def test_a_question_with_no_word_surely_unknown_is_answered(sample_index):
    """Only kana and words the data uses: a casual spelling, not evidence that nothing fits."""
    result = sample_index.search("あしたちょっとだけみてもらえるとこある？", today=TODAY)
    assert not result.unrelated


@pytest.mark.parametrize(
    "question",
    [
        "離婚が成立して子ども2人とのふたり暮らしになった。手当の名義とか",
        "スイミング教室のことを教えて",
        "書道教室を探してる",
    ],
)
def test_a_question_is_tokenized_once_per_mode_by_the_search_and_its_fits_judgement(
    sample_index, question, monkeypatch
):
    """The search reads the question, then the "nothing fits" judgement reads its words again:
    the thread's tokenizer answers the second reading from memory (bot.sudachi)."""
    from bot import knowledge
    from bot.sudachi import tokenizer

    calls: Counter = Counter()
    remembering = tokenizer()
    real = remembering._tokenizer

    class Counting:
        def tokenize(self, text, mode=None):
            calls[(text, str(mode))] += 1
            return real.tokenize(text) if mode is None else real.tokenize(text, mode)

    judged = []
    monkeypatch.setattr(remembering, "_tokenizer", Counting())
    monkeypatch.setattr(remembering, "_last", type(remembering._last)())
    monkeypatch.setattr(knowledge.text.analyzer(), "_cache", {})
    real_words = knowledge.fits.words
    monkeypatch.setattr(
        knowledge.fits, "words", lambda text: judged.append(text) or real_words(text)
    )
    sample_index.search(question, today=TODAY)
    assert judged, "the fits judgement read the question's words"
    assert calls and max(calls.values()) == 1, calls


@pytest.mark.parametrize(
    "question",
    [
        # 引っ越し is no word of the data, but the move need covers it: its registrations answer
        "we're moving here next month, what should we sign up for",
        "vamos nos mudar pra cá mês que vem",
    ],
)
def test_a_foreign_question_whose_words_a_need_covers_is_answered(sample_index, question):
    result = sample_index.search(question, today=TODAY)
    assert not result.unrelated and result.answers


@pytest.mark.parametrize(
    "question", ["子どもの歯の矯正の費用を補助してほしい", "出産祝いのおすすめ"]
)
def test_topics_for_a_clinic_or_a_shop_are_told_nothing_fits(sample_index, question):
    result = sample_index.search(question, today=TODAY)
    assert result.unrelated and result.answers == []
