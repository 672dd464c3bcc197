"""Guided search: the child's stage → area → weekday, then the matching services as cards.

stage ──▶ area ──▶ weekday ──▶ finished (cards; stage and area remembered)
"""

from __future__ import annotations

from bot.dialogs.choices import (
    STAGE_CHOICES,
    STAGE_LABELS,
    WEEKDAY_CHOICES,
    area_choices,
    area_name,
)
from bot.dialogs.engine import Answer, Context, Dialog, Outcome, Step, finish, goto


def _remembered(ctx: Context, key: str, shown: str) -> str:
    return " " + ctx._("(last time: {value})", value=shown) if ctx.profile.get(key) else ""


def _ask_stage(ctx: Context) -> str:
    label = STAGE_LABELS.get(ctx.profile.get("stage", ""), "")
    return ctx._("How old is your child?") + _remembered(
        ctx, "stage", ctx._(label) if label else ""
    )


def _stage(ctx: Context, given: Answer) -> Outcome:
    ctx.profile["stage"] = given.value
    return goto("area")


def _ask_area(ctx: Context) -> str:
    return ctx._("Which area?") + _remembered(ctx, "area", area_name(ctx, ctx.profile.get("area")))


def _area(ctx: Context, given: Answer) -> Outcome:
    if given.value != "any":
        ctx.profile["area"] = given.value
    ctx.data["area"] = given.value
    return goto("weekday")


def _ask_weekday(ctx: Context) -> str:
    return ctx._("Which day of the week suits you?")


def _weekday(ctx: Context, given: Answer) -> Outcome:
    from bot.handlers.parents import browse_results

    area = None if ctx.data.get("area") == "any" else ctx.data.get("area")
    weekday = None if given.value == "any" else int(given.value)
    return finish(*browse_results(ctx, ctx.profile.get("stage"), area, weekday))


guide = Dialog(
    name="guide",
    triggers=("さがす", "探す", "検索", "search", "けんさく"),
    steps=[
        Step("stage", prompt=_ask_stage, on_answer=_stage, choices=STAGE_CHOICES),
        Step("area", prompt=_ask_area, on_answer=_area, choices=area_choices),
        Step("weekday", prompt=_ask_weekday, on_answer=_weekday, choices=WEEKDAY_CHOICES),
    ],
)
