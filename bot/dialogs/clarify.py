"""A vague need asked about before searching: 「預けたい」 → for how long? → what fits.

The needs vocabulary (``bot.knowledge.needs``) says which needs are vague and what to offer;
the handler starts this dialog with the question and those options in its data.

which ──▶ finished: SearchFor (the question, with the kinds of service the option names)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish
from bot.intents import SearchFor


class Steps(StrEnum):
    WHICH = "which"


def _ask(ctx: Context) -> str:
    return ctx._("I can help with that. Which is closest to what you need?")


def _options(ctx: Context) -> list[Choice]:
    # The labels are the city's own words from needs.yaml, shown as they are.
    return [Choice(str(i), str(o["label"])) for i, o in enumerate(ctx.data.get("options") or ())]


def _which(ctx: Context, given: Answer) -> Outcome:
    option = ctx.data["options"][int(given.value)]
    return finish(
        intent=SearchFor(ctx.data.get("question", ""), tuple(str(w) for w in option["look_for"]))
    )


clarify = Dialog(
    name="clarify",
    questions_leave=True,
    steps=Steps,
    asks=[Step(Steps.WHICH, prompt=_ask, on_answer=_which, choices=_options)],
    roles=frozenset({"parent"}),
)
