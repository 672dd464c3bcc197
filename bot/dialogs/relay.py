"""A specialist writes to the parent of a request or an alert, through the bot: the words go
from the city's account, never from the specialist's own LINE.

words ──typed──▶ finished: RelayToParent
"""

from __future__ import annotations

from enum import StrEnum

from babel import Locale

from bot.dialogs.engine import Answer, Context, Dialog, Outcome, Step, finish
from bot.i18n import DEFAULT_LANGUAGE
from bot.intents import RelayToParent
from bot.vocabulary import CASE_WORKERS

MAX_WORDS = 2000


class Steps(StrEnum):
    WORDS = "words"


def _ask(ctx: Context) -> str:
    ask = ctx._(
        "Type your message for the family of {ref}. It goes from the city's account; "
        "their answer comes back to you here.",
        ref=ctx.data["ref"],
    )
    language = ctx.data.get("language")
    if language and language != DEFAULT_LANGUAGE:
        # The family reads another language: say which, and what the bot adds in it.
        name = Locale.parse(language).get_display_name(ctx.t.language) or language
        ask += "\n" + ctx._(
            "The family reads {language}: the bot puts “Your specialist at the city answered” "
            "before your words in {language}. Plain Japanese (やさしい日本語) or their language "
            "helps them.",
            language=name,
        )
    return ask


def _words(ctx: Context, given: Answer) -> Outcome:
    words = (given.text or "").strip()[:MAX_WORDS]
    if not words:
        return Outcome(invalid=True)
    return finish(intent=RelayToParent(int(ctx.data["case"]), words))


relay = Dialog(
    name="relay",
    roles=CASE_WORKERS,
    steps=Steps,
    asks=[Step(Steps.WORDS, prompt=_ask, on_answer=_words, accepts_text=True)],
)
