"""The language a person is spoken to in: chosen (the language dialog), typed by name
(「日本語」, "English", "Tiếng Việt" … switch at once, from any language), offered when a parent
writes in another of our languages (``bot.knowledge.which_language``: never on a short or
unclear message, never twice for a language the parent kept away from), and the menu that goes
with it.
"""

from __future__ import annotations

from bot.dialogs.language import chosen_message, language, language_offer
from bot.handlers import parents
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from bot.intents import LanguageChosen
from bot.knowledge.which_language import detect
from bot.messaging.richmenu import link_menu
from bot.typed import fold
from bot.vocabulary import Role

router = Router("languages", dialogs=(language_offer,))

# A language's name as people type it, in its own script or plain letters, folded.
_NAMED = {
    "ja": (
        "日本語",
        "にほんご",
        "ニホンゴ",
        "japanese",
        "nihongo",
        "japonês",
        "japones",
        "tiếng nhật",
        "tieng nhat",
        "日语",
        "日文",
    ),
    "en": (
        "english",
        "英語",
        "えいご",
        "inglês",
        "ingles",
        "tiếng anh",
        "tieng anh",
        "英语",
        "英文",
    ),
    "pt_BR": (
        "português",
        "portugues",
        "portuguese",
        "ポルトガル語",
        "ぽるとがるご",
        "tiếng bồ đào nha",
        "葡萄牙语",
        "葡语",
    ),
    "vi": (
        "tiếng việt",
        "tieng viet",
        "vietnamese",
        "ベトナム語",
        "べとなむご",
        "vietnamita",
        "越南语",
        "越语",
    ),
    "zh_Hans": (
        "中文",
        "简体中文",
        "中文（简体）",
        "中文(简体)",
        "汉语",
        "chinese",
        "中国語",
        "ちゅうごくご",
        "chinês",
        "chines",
        "tiếng trung",
        "tieng trung",
        "普通话",
    ),
}
NAMED = {fold(name): code for code, names in _NAMED.items() for name in names}
NAMED.update({fold(name): code for code, name in LANGUAGE_NAMES.items()})


def set_language(turn: Turn, language: str) -> None:
    """Remember the language and give the person the menu in it."""
    turn.user.language = language
    link_menu(turn.session, turn.user.line_user_id, turn.user.role, language)


@router.text("language by name")
def typed_language_name(turn: Turn, typed: str) -> bool:
    """「日本語」 (or any of our languages' names) typed on its own switches to it."""
    language = NAMED.get(fold(typed).strip("。.!！ "))
    if language is None:
        return False
    turn.set_place(None)  # a language asked for by name ends whatever question was open
    set_language(turn, language)
    turn.say(chosen_message(language))
    return True


@router.text("offer the language written in", roles=frozenset({Role.PARENT}))
def offer_language(turn: Turn, typed: str) -> bool:
    """A question outside any dialog, surely in another of our languages: ask whether to
    speak that language (the question is kept and answered after the choice).

    So is a question typed instead of choosing a language (the welcome asks which one first):
    a parent who writes 「hi, where can I leave my baby…」 is offered English with the question
    kept, and one who writes Japanese is simply answered, never told to use the buttons."""
    place = turn.place()
    choosing = place is not None and place.dialog == language.name
    if place is not None and not choosing:
        return False  # an answer to a question of ours, not a message in its own right
    detected = detect(typed)
    current = turn.user.language or DEFAULT_LANGUAGE
    declined = (turn.user.profile or {}).get("declined_languages") or []
    if detected is None or detected in declined or (detected == current and not choosing):
        return False
    turn.set_place(None)
    if detected == current:
        parents.answer_question(turn, typed)
    else:
        turn.start(language_offer, question=typed, detected=detected)
    return True


@router.intent(LanguageChosen)
def language_chosen(turn: Turn, chosen: LanguageChosen) -> None:
    if chosen.changed:
        link_menu(turn.session, turn.user.line_user_id, turn.user.role, chosen.language)
    if chosen.question:
        parents.answer_question(turn, chosen.question)
