"""A provider's member says how many places they have (空き状況): a few taps.

(status tapped on the push) ──▶ stages ──▶ note (typed, or skip) ──▶ finished: AnswerAvailability
status ──▶ stages …   (when started without one)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.choices import STAGE_CHOICES
from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import AnswerAvailability
from bot.vocabulary import AVAILABILITY_LABELS, MEMBERS

STATUSES = [Choice(code, label) for code, label in AVAILABILITY_LABELS.items()]
EVERY_AGE = Choice("all", _("Every age"))
SKIP = [Choice("skip", _("No note"))]
MAX_NOTE = 200


class Steps(StrEnum):
    STATUS = "status"
    STAGES = "stages"
    NOTE = "note"


def _start(ctx: Context) -> Outcome:
    status = ctx.data.pop("opening", None)
    if status in AVAILABILITY_LABELS:  # tapped on the question's push
        ctx.data["status"] = status
        return goto(Steps.NOTE if status == "none" else Steps.STAGES)
    return goto(Steps.STATUS)


def _ask_status(ctx: Context) -> str:
    return ctx._("How many places do you have now?")


def _status(ctx: Context, given: Answer) -> Outcome:
    ctx.data["status"] = given.value
    return goto(Steps.NOTE if given.value == "none" else Steps.STAGES)


def _ask_stages(ctx: Context) -> str:
    return ctx._("For which age?")


def _stages(ctx: Context, given: Answer) -> Outcome:
    ctx.data["stages"] = [] if given.value == EVERY_AGE.value else [given.value]
    return goto(Steps.NOTE)


def _ask_note(ctx: Context) -> str:
    return ctx._("Anything the specialists should know (no names)? Type it, or tap No note.")


def _note(ctx: Context, given: Answer) -> Outcome:
    note = None if given.value == "skip" else (given.text or "").strip()[:MAX_NOTE] or None
    stages = tuple(ctx.data.get("stages", ()))
    return finish(intent=AnswerAvailability(ctx.data["status"], stages, note))


availability = Dialog(
    name="availability",
    roles=MEMBERS,
    on_start=_start,
    steps=Steps,
    asks=[
        Step(Steps.STATUS, prompt=_ask_status, on_answer=_status, choices=STATUSES),
        Step(
            Steps.STAGES, prompt=_ask_stages, on_answer=_stages, choices=[*STAGE_CHOICES, EVERY_AGE]
        ),
        Step(Steps.NOTE, prompt=_ask_note, on_answer=_note, choices=SKIP, accepts_text=True),
    ],
)
