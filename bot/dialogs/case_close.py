"""Closing a case: how it ended (the outcomes the city offers), then a confirmation.

outcome ──▶ confirm ──閉じる──▶ finished: CloseCase
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import CloseCase
from bot.messaging.builders import text
from bot.vocabulary import CASE_WORKERS, OUTCOME_LABELS

CONFIRM = [Choice("close", _("Close it")), Choice("cancel", _("Not yet"))]


class Steps(StrEnum):
    OUTCOME = "outcome"
    CONFIRM = "confirm"


def _outcomes(ctx: Context) -> list[Choice]:
    return [Choice(code, OUTCOME_LABELS[code]) for code in ctx.city.outcomes]


def _ask_outcome(ctx: Context) -> str:
    return ctx._("How did {ref} end?", ref=ctx.data["ref"])


def _outcome(ctx: Context, given: Answer) -> Outcome:
    ctx.data["outcome"] = given.value
    return goto(Steps.CONFIRM)


def _ask_confirm(ctx: Context) -> str:
    outcome = ctx._(OUTCOME_LABELS[ctx.data["outcome"]])
    return ctx._(
        "Close {ref} as “{outcome}”? The member who filed it will be told it is finished.",
        ref=ctx.data["ref"],
        outcome=outcome,
    )


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == "close":
        d = ctx.data
        return finish(intent=CloseCase(int(d["case"]), int(d["version"]), d["outcome"]))
    return finish(text(ctx._("All right, {ref} stays open.", ref=ctx.data["ref"])))


case_close = Dialog(
    name="case_close",
    roles=CASE_WORKERS,
    steps=Steps,
    asks=[
        Step(Steps.OUTCOME, prompt=_ask_outcome, on_answer=_outcome, choices=_outcomes),
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM),
    ],
)
