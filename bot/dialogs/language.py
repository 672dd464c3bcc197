"""Choosing the language the bot speaks (offered with the welcome, and from the menu).

choose ──日本語 / English──▶ finished (language remembered)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish
from bot.i18n import Translator, _
from bot.messaging.builders import text

CHOICES = [Choice("ja", _("日本語")), Choice("en", _("English"))]


class Steps(StrEnum):
    CHOOSE = "choose"


def _prompt(ctx: Context) -> str:
    return ctx._("Which language shall I use?")


def _chosen(ctx: Context, given: Answer) -> Outcome:
    ctx.profile["language"] = given.value
    t = Translator(given.value)  # answer in the language just chosen
    return finish(
        text(
            t.gettext("From now on I will talk to you in this language.")
            + "\n"
            + t.gettext(
                "Ask me about childcare services and salons in your own words, "
                'or type "help" to see what I can do.'
            )
        )
    )


language = Dialog(
    name="language",
    triggers=("言語", "げんご", "language", "言語設定", "lang"),
    steps=Steps,
    asks=[Step(Steps.CHOOSE, prompt=_prompt, on_answer=_chosen, choices=CHOICES)],
)
