"""A specialist records what they did for a case, with a memo if they like.

action ──tap──▶ memo (typed, or skip) ──▶ finished: LogAction
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import LogAction
from bot.vocabulary import ACTION_LABELS, CASE_WORKERS

ACTIONS = [Choice(code, label) for code, label in ACTION_LABELS.items()]
SKIP = [Choice("skip", _("No memo"))]
MAX_MEMO = 1000


class Steps(StrEnum):
    ACTION = "action"
    MEMO = "memo"


def _ask_action(ctx: Context) -> str:
    return ctx._("What did you do for {ref}?", ref=ctx.data["ref"])


def _action(ctx: Context, given: Answer) -> Outcome:
    ctx.data["action"] = given.value
    return goto(Steps.MEMO)


def _ask_memo(ctx: Context) -> str:
    return ctx._(
        "Add a memo if you like (what happened, what comes next; initials, not names), "
        "or tap No memo."
    )


def _memo(ctx: Context, given: Answer) -> Outcome:
    memo = None if given.value == "skip" else (given.text or "").strip()[:MAX_MEMO] or None
    return finish(intent=LogAction(int(ctx.data["case"]), ctx.data["action"], memo))


case_action = Dialog(
    name="case_action",
    roles=CASE_WORKERS,
    steps=Steps,
    asks=[
        Step(Steps.ACTION, prompt=_ask_action, on_answer=_action, choices=ACTIONS),
        Step(Steps.MEMO, prompt=_ask_memo, on_answer=_memo, choices=SKIP, accepts_text=True),
    ],
)
