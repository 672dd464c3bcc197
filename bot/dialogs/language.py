"""Choosing the language the bot speaks: offered with the welcome and from the menu
(``language``), and when a parent writes in another of our languages (``language_offer``).

language:        choose ──日本語 / English / Português / Tiếng Việt / 中文──▶ finished
                 (language remembered, the menu in that language linked)
language_offer:  offer ──the language written in──▶ finished (switched; the question answered)
                       ──the language kept──▶ finished (not offered again; question answered)
                       ──anything typed──▶ finished (that text answered as a question)
"""

from __future__ import annotations

from enum import StrEnum

from babel import Locale

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, _
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


class OfferSteps(StrEnum):
    OFFER = "offer"


OFFER = _("You seem to write in {language}. Shall I talk to you in {language}?")


def _offer_prompt(ctx: Context) -> str:
    detected = ctx.data["detected"]
    name = LANGUAGE_NAMES[detected]
    asked = Translator(detected).gettext(OFFER, language=name)  # in the language written in
    if ctx.t.language == detected:
        return asked
    # …and in the language the parent chose before, naming the language in it (英語, inglês)
    theirs = Locale.parse(detected).get_display_name(ctx.t.language) or name
    return asked + "\n" + ctx._(OFFER).format(language=theirs)


def _offer_choices(ctx: Context) -> list[Choice]:
    detected, current = ctx.data["detected"], ctx.t.language
    return [Choice(detected, LANGUAGE_NAMES[detected]), Choice(current, LANGUAGE_NAMES[current])]


def _offer_answered(ctx: Context, given: Answer) -> Outcome:
    question, current = ctx.data.get("question"), ctx.t.language
    if given.value is None:  # typed something else: that is the question now
        return finish(intent=LanguageChosen(current, question=given.text, changed=False))
    if given.value == current:  # keep: do not ask about that language again
        declined = list(ctx.profile.get("declined_languages") or [])
        ctx.profile["declined_languages"] = sorted({*declined, ctx.data["detected"]})
        return finish(intent=LanguageChosen(current, question=question, changed=False))
    ctx.profile["language"] = given.value
    return finish(chosen_message(given.value), intent=LanguageChosen(given.value, question))


language_offer = Dialog(
    name="language_offer",
    steps=OfferSteps,
    asks=[
        Step(
            OfferSteps.OFFER,
            prompt=_offer_prompt,
            on_answer=_offer_answered,
            choices=_offer_choices,
            accepts_text=True,
        )
    ],
    roles=frozenset({"parent"}),
)

language = Dialog(
    name="language",
    triggers=TRIGGERS,
    steps=Steps,
    asks=[Step(Steps.CHOOSE, prompt=_prompt, on_answer=_chosen, choices=CHOICES)],
)
