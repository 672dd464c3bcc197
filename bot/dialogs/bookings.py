"""A parent's bookings of outreach consultations: see them, cancel one.

    (handler lists them) ──▶ choose ──a booking──▶ confirm ──cancel──▶ CancelBooking
                               └──book another──▶ ChooseOutreach       └──keep──▶ end
The reminder's cancel button opens at ``confirm`` for its booking (``data["b"]``).
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import CancelBooking, ChooseOutreach
from bot.messaging.builders import text

NEW = "new"
YES, NO = "yes", "no"
SHOWN = 10


class Steps(StrEnum):
    CHOOSE = "choose"
    CONFIRM = "confirm"


def _bookings(ctx: Context) -> list[dict]:
    return ctx.data.get("bookings") or []


def _ask_choose(ctx: Context) -> str:
    lines = [ctx._("Your outreach consultation bookings:")]
    lines += [f"・{b['when']} {b['where']}" for b in _bookings(ctx)]
    return "\n".join([*lines, "", ctx._("To cancel one, tap it below.")])


def _choose_choices(ctx: Context) -> list[Choice]:
    choices = [
        Choice(str(b["id"]), ctx._("Cancel {day}", day=b["short"])) for b in _bookings(ctx)[:SHOWN]
    ]
    return [*choices, Choice(NEW, _("Book another"))]


def _choose(ctx: Context, given: Answer) -> Outcome:
    if given.value == NEW:
        return finish(intent=ChooseOutreach())
    ctx.data["b"] = int(given.value)
    return goto(Steps.CONFIRM)


def _chosen(ctx: Context) -> dict:
    return next(b for b in _bookings(ctx) if b["id"] == ctx.data["b"])


def _ask_confirm(ctx: Context) -> str:
    b = _chosen(ctx)
    return ctx._("Cancel this booking?\n{when}\n{where}", when=b["when"], where=b["where"])


CONFIRM_CHOICES = [Choice(YES, _("Cancel booking")), Choice(NO, _("Keep it"))]


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == NO:
        return finish(text(ctx._("OK, your booking stands.")))
    return finish(intent=CancelBooking(int(ctx.data["b"])))


def _open(ctx: Context) -> Outcome:
    if ctx.data.get("b") in {b["id"] for b in _bookings(ctx)}:
        return goto(Steps.CONFIRM)
    return Outcome()


bookings = Dialog(
    name="bookings",
    steps=Steps,
    asks=[
        Step(Steps.CHOOSE, prompt=_ask_choose, on_answer=_choose, choices=_choose_choices),
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM_CHOICES),
    ],
    roles=frozenset({"parent"}),
    on_start=_open,
)
