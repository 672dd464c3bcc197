"""Choosing the language the bot speaks (offered with the welcome, from the menu, and when a
parent writes in another of our languages).

choose ──日本語 / English / Português / Tiếng Việt / 中文──▶ finished (language remembered,
the menu in that language linked)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from bot.intents import LanguageChosen
from bot.messaging.builders import text

# Each language is offered by its own name, whatever the language of the question.
CHOICES = [Choice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
# The word for "language" in each of our languages (the help tells parents to type it).
TRIGGERS = (
    "言語",
    "げんご",
    "言語設定",
    "language",
    "lang",
    "idioma",
    "língua",
    "ngôn ngữ",
    "ngon ngu",
    "语言",
    "語言",
)


class Steps(StrEnum):
    CHOOSE = "choose"


def _prompt(ctx: Context) -> str:
    return ctx._("Which language shall I use?")


def chosen_message(language: str):
    """The answer once a language is chosen, in that language."""
    t = Translator(language)
    return text(
        t.gettext("From now on I will talk to you in this language.")
        + "\n"
        + t.gettext(
            "Ask me about childcare services and salons in your own words, "
            'or type "help" to see what I can do.'
        )
    )


def _chosen(ctx: Context, given: Answer) -> Outcome:
    ctx.profile["language"] = given.value
    return finish(chosen_message(given.value), intent=LanguageChosen(given.value))


language = Dialog(
    name="language",
    triggers=TRIGGERS,
    steps=Steps,
    asks=[Step(Steps.CHOOSE, prompt=_prompt, on_answer=_chosen, choices=CHOICES)],
)
