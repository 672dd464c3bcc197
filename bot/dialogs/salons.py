"""This week's salons: asks the child's stage when it is not known yet, then lists them.

stage ──▶ finished (this week's salons for that stage; stage remembered)
"""

from __future__ import annotations

from bot.dialogs.choices import STAGE_CHOICES
from bot.dialogs.engine import Answer, Context, Dialog, Outcome, Step, finish


def _ask(ctx: Context) -> str:
    return ctx._("How old is your child?")


def _stage(ctx: Context, given: Answer) -> Outcome:
    from bot.handlers.parents import salon_week_messages

    ctx.profile["stage"] = given.value
    return finish(*salon_week_messages(ctx, given.value, ctx.profile.get("area")))


def _known(ctx: Context) -> Outcome:
    from bot.handlers.parents import salon_week_messages

    if ctx.profile.get("stage") and not ctx.data.get("change"):
        return finish(*salon_week_messages(ctx, ctx.profile["stage"], ctx.profile.get("area")))
    return Outcome()


salons = Dialog(
    name="salons",
    triggers=("今週のサロン", "こんしゅうのさろん", "サロン", "さろん", "salons"),
    steps=[Step("stage", prompt=_ask, on_answer=_stage, choices=STAGE_CHOICES)],
    on_start=_known,
)
