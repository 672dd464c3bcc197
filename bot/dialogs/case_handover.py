"""Handing a case over to the other type (the child turned one, school age …), with a memo for
the colleague if one helps.

confirm ──引き継ぐ──▶ finished: HandOver
        └─メモを添えて──▶ memo ──▶ finished: HandOver (with the memo)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import HandOver
from bot.messaging.builders import text
from bot.vocabulary import CASE_WORKERS, TYPE_LABELS

CONFIRM = [
    Choice("go", _("Hand over")),
    Choice("memo", _("With a memo")),
    Choice("cancel", _("Not yet")),
]
MAX_MEMO = 1000


class Steps(StrEnum):
    CONFIRM = "confirm"
    MEMO = "memo"


def _ask_confirm(ctx: Context) -> str:
    to = ctx._(TYPE_LABELS[ctx.data["to"]])
    return ctx._("Hand {ref} over to the {type}?", ref=ctx.data["ref"], type=to)


def _handover(ctx: Context, memo: str | None) -> Outcome:
    return finish(intent=HandOver(int(ctx.data["case"]), int(ctx.data["version"]), memo))


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == "go":
        return _handover(ctx, None)
    if given.value == "memo":
        return goto(Steps.MEMO)
    return finish(text(ctx._("All right, {ref} stays with you.", ref=ctx.data["ref"])))


def _ask_memo(ctx: Context) -> str:
    return ctx._("Type the memo for your colleague (initials, not names).")


def _memo(ctx: Context, given: Answer) -> Outcome:
    memo = (given.text or "").strip()[:MAX_MEMO]
    return _handover(ctx, memo) if memo else Outcome(invalid=True)


case_handover = Dialog(
    name="case_handover",
    roles=CASE_WORKERS,
    steps=Steps,
    asks=[
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM),
        Step(Steps.MEMO, prompt=_ask_memo, on_answer=_memo, accepts_text=True),
    ],
)
