"""A specialist writes to the parent of a request or an alert, through the bot: the words go
from the city's account, never from the specialist's own LINE.

words ──typed──▶ finished: RelayToParent
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Context, Dialog, Outcome, Step, finish
from bot.intents import RelayToParent
from bot.vocabulary import CASE_WORKERS

MAX_WORDS = 2000


class Steps(StrEnum):
    WORDS = "words"


def _ask(ctx: Context) -> str:
    return ctx._(
        "Type your message for the family of {ref}. It goes from the city's account; "
        "their answer comes back to you here.",
        ref=ctx.data["ref"],
    )


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
