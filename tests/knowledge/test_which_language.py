"""Which language a message is surely in: Vietnamese typed without its accents included."""

import pytest

from bot.knowledge.which_language import detect


@pytest.mark.parametrize(
    "typed",
    [
        "nha tre o dau gan nha toi",
        "chi cho em hoi dang ky nha tre the nao",  # a letter model read this as English
        "be nha em 2 tuoi chua biet noi",
        "cho toi hoi phong kham nhi o dau",
        "con toi bi sot khong di lam duoc",
    ],
)
def test_vietnamese_without_accents_is_vietnamese(typed):
    assert detect(typed) == "vi"


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("where is the daycare near my house", "en"),
        ("i want to go to the park with my son", "en"),
        ("my baby has a fever and i cant go to work", "en"),
        ("onde fica a creche perto de casa", "pt_BR"),
        ("meu filho esta com febre", "pt_BR"),
        ("Tôi muốn gửi con vài tiếng", "vi"),
    ],
)
def test_english_and_portuguese_in_short_words_are_not_taken_for_vietnamese(typed, language):
    assert detect(typed) == language
