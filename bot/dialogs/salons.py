"""This week's salons: asks the child's stage when it is not known yet; the router lists them.

(stage known) ──▶ finished: ShowSalons
stage ──▶ finished: ShowSalons (stage remembered)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.choices import STAGE_CHOICES, read_stage
from bot.dialogs.engine import Answer, Context, Dialog, Outcome, Step, finish
from bot.intents import ShowSalons
from bot.vocabulary import Stage

CHANGE = "change"  # the opening of the "Change stage" button


class Steps(StrEnum):
    STAGE = "stage"


def _ask(ctx: Context) -> str:
    return ctx._("How old is your child?")


def _stage(ctx: Context, given: Answer) -> Outcome:
    ctx.profile["stage"] = given.value
    return finish(intent=ShowSalons(Stage(given.value), ctx.profile.get("area")))


def _known(ctx: Context) -> Outcome:
    # "Change stage" starts this dialog with CHANGE: ask even when a stage is known.
    if ctx.profile.get("stage") in set(Stage) and ctx.data.get("opening") != CHANGE:
        return finish(intent=ShowSalons(Stage(ctx.profile["stage"]), ctx.profile.get("area")))
    return Outcome()


salons = Dialog(
    name="salons",
    questions_leave=True,
    triggers=("今週のサロン", "こんしゅうのさろん", "サロン", "さろん", "salons"),
    steps=Steps,
    asks=[
        Step(Steps.STAGE, prompt=_ask, on_answer=_stage, choices=STAGE_CHOICES, reads=read_stage)
    ],
    on_start=_known,
)
