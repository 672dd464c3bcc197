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


# ---------------------------------------------------------------- offered when written in


@pytest.fixture
def city_bot(bot):
    from bot.city import load_city
    from bot.cli.kb import city_files
    from bot.config import SAMPLE_CITY
    from bot.knowledge.importers import import_paths

    city = load_city(SAMPLE_CITY)
    assert import_paths(bot.tsunagu.db, city_files(city), city=city).ok
    return bot


def japanese_parent(bot):
    parent = bot.person(PARENT)
    parent.follows()
    parent.taps("日本語")
    return parent


def test_a_question_in_english_offers_english_and_is_answered_after_the_choice(city_bot):
    parent = japanese_parent(city_bot)
    parent.says("How do I apply for a daycare place for my son?")
    assert parent.heard("You seem to write in English. Shall I talk to you in English?")
    assert parent.heard("英語で書かれているようです")
    assert parent.buttons() == ["English", "日本語"]
    parent.taps("English")
    assert parent.heard(CHOSEN["en"]) and language_of(city_bot) == "en"
    assert parent.heard("Here is what I found.")  # the question was kept and answered
    assert "parent-en" in linked_menus(city_bot)


def test_keeping_the_language_answers_the_question_and_is_not_asked_again(city_bot):
    parent = japanese_parent(city_bot)
    parent.says("Meu filho está com febre e não posso faltar ao trabalho")
    assert parent.buttons() == ["Português", "日本語"]
    parent.taps("日本語")
    assert language_of(city_bot) == "ja" and parent.heard("こちらが見つかりました。")
    parent.says("Onde fica a creche mais perto de casa?")
    assert not parent.heard("Parece que você está escrevendo")
    assert language_of(city_bot) == "ja"


def test_a_question_typed_at_the_welcome_is_offered_its_language_and_answered(city_bot):
    parent = city_bot.person(PARENT)
    parent.follows()
    parent.says("hi, where can i leave my baby for a few hours? i have a dentist appointment")
    assert parent.heard("You seem to write in English. Shall I talk to you in English?")
    assert not parent.heard("下のボタンから選んでください")
    parent.taps("English")
    assert parent.heard(CHOSEN["en"]) and language_of(city_bot) == "en"
    assert parent.heard("Here is what I found.") or parent.heard("I can help with that.")


def test_a_japanese_question_at_the_welcome_is_simply_answered(city_bot):
    parent = city_bot.person(PARENT)
    parent.follows()
    parent.says("近くの支援センターで土曜日にあいているところはありますか")
    assert parent.heard("こちらが見つかりました。")
    assert not parent.heard("下のボタンから選んでください")
    parent.says("ok")  # the welcome's question is not pending any more
    assert not parent.heard("下のボタンから選んでください")


def test_a_short_word_at_the_welcome_is_asked_again_with_the_languages(city_bot):
    parent = city_bot.person(PARENT)
    parent.follows()
    parent.says("hi")
    assert parent.heard("下のボタンから選んでください") and "English" in parent.buttons()


@pytest.mark.parametrize("typed", ["thank you", "ok", "hi there", "ありがとう", "谢谢", "hoikuen"])
def test_nothing_is_offered_on_a_short_message(city_bot, typed):
    parent = japanese_parent(city_bot)
    parent.says(typed)
    assert not any("?" in b for b in parent.buttons())
    assert "English" not in parent.buttons()


def test_nothing_is_offered_on_kanji_that_may_be_japanese(city_bot):
    parent = bot_parent = japanese_parent(city_bot)
    del bot_parent
    parent.says("北地区 日曜 病児保育")
    assert "中文（简体）" not in parent.buttons()


def test_chinese_is_offered_to_an_english_reader_and_the_answer_comes_in_chinese(city_bot):
    parent = city_bot.person(PARENT)
    parent.follows()
    parent.taps("English")
    parent.says("托儿所怎么申请？")
    assert parent.buttons() == ["中文（简体）", "English"]
    assert parent.heard("您好像在用中文（简体）书写")
    parent.taps("中文（简体）")
    assert parent.heard(CHOSEN["zh_Hans"]) and parent.heard("为您找到了以下内容。")


def test_cards_keep_the_japanese_name_and_add_the_kind_and_days_in_the_readers_language(city_bot):
    import json

    parent = city_bot.person(PARENT)
    parent.follows()
    parent.taps("English")
    parent.says("how do I apply for daycare?")
    said = json.dumps(parent.last, ensure_ascii=False)
    assert "保育園・認定こども園の入園申込み" in said  # the official name, to find the place
    assert "Daycare application: apply for a place" in said
    assert "Central (中央地区)" in said
    assert "Tue, Dec" in said or "Wed, Dec" in said or ", Dec " in said or ", Jan " in said


def test_the_specialist_sees_the_parents_language_and_the_answer_goes_in_it(city_bot):
    from bot.messaging.postback import DialogEntry
    from tests.people import register_specialist

    staff = "U" + "s" * 32
    with city_bot.tsunagu.db.transaction() as session:
        register_specialist(session, staff)
    specialist = city_bot.person(staff)
    parent = city_bot.person(PARENT)
    parent.follows()
    parent.taps("Tiếng Việt")
    parent.taps_data(DialogEntry("consult").pack())  # the menu's 「Hỏi chuyên viên」
    parent.taps("Lo lắng khi nuôi con")
    parent.taps("Bỏ qua")
    parent.taps("Tại đây trên LINE")
    parent.taps("Gửi")
    assert parent.heard("Đã gửi. Số tiếp nhận của quý vị là S-")
    specialist.replies()
    pushed = [m.get("template", {}).get("text", "") for m in specialist.last]
    assert any("ベトナム語を希望" in p for p in pushed)  # so an interpreter can be brought
    specialist.taps("相談を開く")
    specialist.taps("返信する")
    assert specialist.heard("このご家庭はベトナム語を希望しています")
    specialist.says("明日お電話します。")
    parent.replies()
    assert parent.heard("Chuyên viên của thành phố đã trả lời (S-")
    assert parent.heard("明日お電話します。")


def test_each_parents_menu_image_shows_its_current_labels():
    """The committed images were drawn (`python -m bot richmenu render`) from today's labels:
    redraw them when a menu label changes."""
    import json

    from bot.messaging.menu_images import DRAWN, drawn_labels
    from bot.messaging.richmenu import ASSETS, MENUS, PARENT_LABELS, parent_menu

    drawn = json.loads((ASSETS / DRAWN).read_text(encoding="utf-8"))
    for language in ("en", "pt_BR", "vi", "zh_Hans"):
        menu = MENUS[parent_menu(language).role]
        assert drawn[menu.image.name] == drawn_labels(language, PARENT_LABELS), language
        assert menu.image.exists()


@pytest.mark.parametrize("language", ["en", "pt_BR", "vi", "zh_Hans"])
def test_a_menu_image_is_drawn_in_each_language(tmp_path, language):
    """Drawing works with the machine's fonts (skipped where they are not installed)."""
    from PIL import Image

    from bot.messaging.menu_images import NoFont, render
    from bot.messaging.richmenu import PARENT_LABELS

    try:
        drawn = render(language, PARENT_LABELS, tmp_path / "menu.png")
    except NoFont as exc:
        pytest.skip(str(exc))
    image = Image.open(drawn)
    assert image.size == (2500, 843)
    assert len(image.convert("RGB").getcolors(1 << 20)) > 20  # text was drawn, not only colours


def test_vietnamese_typed_without_accents_is_offered_vietnamese(city_bot):
    parent = japanese_parent(city_bot)
    parent.says("chi cho em hoi dang ky nha tre the nao")
    assert parent.buttons() == ["Tiếng Việt", "日本語"]
