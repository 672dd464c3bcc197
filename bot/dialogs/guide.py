"""Guided search: the child's stage → area → weekday; the router then shows what matches.

stage ──▶ area ──▶ weekday ──▶ finished: ShowResults (stage and area remembered)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.choices import (
    ANY,
    STAGE_CHOICES,
    WEEKDAY_CHOICES,
    area_or_anywhere,
    read_area,
    read_stage,
    read_weekday,
)
from bot.dialogs.engine import Answer, Context, Dialog, Outcome, Step, finish, goto
from bot.intents import ShowResults
from bot.vocabulary import STAGE_LABELS, Stage


class Steps(StrEnum):
    STAGE = "stage"
    AREA = "area"
    WEEKDAY = "weekday"


def _remembered(ctx: Context, shown: str) -> str:
    return " " + ctx._("(last time: {value})", value=shown) if shown else ""


def _ask_stage(ctx: Context) -> str:
    label = STAGE_LABELS.get(ctx.profile.get("stage", ""), "")
    return ctx._("How old is your child?") + _remembered(ctx, ctx._(label) if label else "")


def _stage(ctx: Context, given: Answer) -> Outcome:
    ctx.profile["stage"] = given.value
    return goto(Steps.AREA)


def _ask_area(ctx: Context) -> str:
    return ctx._("Which area?") + _remembered(
        ctx, ctx.city.area_name(ctx.profile.get("area"), ctx.t.language)
    )


def _area(ctx: Context, given: Answer) -> Outcome:
    if given.value != ANY:
        ctx.profile["area"] = given.value
    ctx.data["area"] = given.value
    return goto(Steps.WEEKDAY)


def _ask_weekday(ctx: Context) -> str:
    return ctx._("Which day of the week suits you?")


def _weekday(ctx: Context, given: Answer) -> Outcome:
    area = ctx.data.get("area")
    return finish(
        intent=ShowResults(
            stage=Stage(ctx.profile["stage"]),
            area=None if area == ANY else area,
            weekday=None if given.value == ANY else int(given.value),
        )
    )


guide = Dialog(
    name="guide",
    questions_leave=True,
    triggers=("さがす", "探す", "検索", "search", "けんさく"),
    steps=Steps,
    asks=[
        Step(
            Steps.STAGE,
            prompt=_ask_stage,
            on_answer=_stage,
            choices=STAGE_CHOICES,
            reads=read_stage,
        ),
        Step(
            Steps.AREA, prompt=_ask_area, on_answer=_area, choices=area_or_anywhere, reads=read_area
        ),
        Step(
            Steps.WEEKDAY,
            prompt=_ask_weekday,
            on_answer=_weekday,
            choices=WEEKDAY_CHOICES,
            reads=read_weekday,
        ),
    ],
)
