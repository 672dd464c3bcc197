"""Five languages: chosen at the welcome, changed at any time (by the menu or by typing a
language's name), each with its own rich menu linked."""

import pytest
from sqlalchemy import select

from bot.i18n import LANGUAGE_NAMES
from bot.storage.models import LineUser, OutboxMessage

PARENT = "U" + "l" * 32

CHOSEN = {
    "ja": "これからは日本語でお話しします。",
    "en": "From now on I will talk to you in English.",
    "pt_BR": "A partir de agora vou falar com você em português.",
    "vi": "Từ bây giờ tôi sẽ nói chuyện với quý vị bằng tiếng Việt.",
    "zh_Hans": "从现在起，我将用简体中文和您交流。",
}
HELP = {
    "ja": ("ヘルプ", "できること"),
    "en": ("help", "Here is what I can do"),
    "pt_BR": ("ajuda", "Veja o que posso fazer"),
    "vi": ("trợ giúp", "Tôi có thể giúp quý vị"),
    "zh_Hans": ("帮助", "我可以帮您"),
}


def linked_menus(bot) -> list[str]:
    with bot.tsunagu.db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "richmenu"))
        return [row.messages[0]["menu"] for row in rows]


def language_of(bot) -> str:
    with bot.tsunagu.db.transaction() as session:
        return session.scalars(
            select(LineUser.language).where(LineUser.line_user_id == PARENT)
        ).one()


@pytest.mark.parametrize("language", list(LANGUAGE_NAMES))
def test_the_welcome_offers_every_language_and_the_choice_is_kept(bot, language):
    parent = bot.person(PARENT)
    parent.follows()
    assert parent.heard("Welcome to Tsunagu") and parent.heard("欢迎使用")
    parent.taps(LANGUAGE_NAMES[language])
    assert parent.heard(CHOSEN[language])
    assert language_of(bot) == language
    typed, answer = HELP[language]
    parent.says(typed)
    assert parent.heard(answer)
    expected = "parent" if language == "ja" else f"parent-{language}"
    assert linked_menus(bot) == [expected]


@pytest.mark.parametrize(
    "typed", ["日本語", "にほんご", "Japanese", "ＪＡＰＡＮＥＳＥ", "日语", "tiếng Nhật"]
)
def test_typing_japanese_in_any_language_switches_back(bot, typed):
    parent = bot.person(PARENT)
    parent.follows()
    parent.taps("Tiếng Việt")
    parent.says(typed)
    assert parent.heard(CHOSEN["ja"]) and language_of(bot) == "ja"
    assert linked_menus(bot) == ["parent-vi", "parent"]


def test_a_language_typed_by_name_switches_from_anywhere(bot):
    parent = bot.person(PARENT)
    parent.follows()
    parent.taps("日本語")
    parent.says("Português")
    assert parent.heard(CHOSEN["pt_BR"]) and language_of(bot) == "pt_BR"
    parent.says("idioma")  # the word the help gives opens the choice again
    assert parent.buttons() == list(LANGUAGE_NAMES.values())
    parent.taps("中文（简体）")
    assert parent.heard(CHOSEN["zh_Hans"]) and language_of(bot) == "zh_Hans"
