"""A free-text memo on a case: typed after 「メモ」 on the case, or as 「K-0002 母に電話した…」.

(words known) ──▶ confirm ──記録する──▶ finished: AddMemo
words ──typed──▶ confirm
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import AddMemo
from bot.messaging.builders import text
from bot.vocabulary import CASE_WORKERS

MAX_MEMO = 1000
CONFIRM = [Choice("save", _("Record it")), Choice("cancel", _("Cancel"))]


class Steps(StrEnum):
    WORDS = "words"
    CONFIRM = "confirm"


def _start(ctx: Context) -> Outcome:
    words = (ctx.data.pop("opening", None) or "").strip()
    if words:
        ctx.data["words"] = words[:MAX_MEMO]
        return goto(Steps.CONFIRM)
    return goto(Steps.WORDS)


def _ask_words(ctx: Context) -> str:
    return ctx._("Type the memo for {ref} (initials, not names).", ref=ctx.data["ref"])


def _words(ctx: Context, given: Answer) -> Outcome:
    words = (given.text or "").strip()
    if not words:
        return Outcome(invalid=True)
    ctx.data["words"] = words[:MAX_MEMO]
    return goto(Steps.CONFIRM)


def _ask_confirm(ctx: Context) -> str:
    return ctx._("Record this memo on {ref}?", ref=ctx.data["ref"]) + f"\n「{ctx.data['words']}」"


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == "save":
        return finish(intent=AddMemo(int(ctx.data["case"]), ctx.data["words"]))
    return finish(text(ctx._("All right, nothing was recorded.")))


case_memo = Dialog(
    name="case_memo",
    roles=CASE_WORKERS,
    on_start=_start,
    steps=Steps,
    asks=[
        Step(Steps.WORDS, prompt=_ask_words, on_answer=_words, accepts_text=True),
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM),
    ],
)
