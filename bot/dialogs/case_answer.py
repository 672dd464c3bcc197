"""A specialist enters a provider's answer to a referral made by phone, on paper or by email.

answer ──can accept / started──▶ finished: RecordAnswer
       └─cannot──▶ reason (typed) ──▶ finished: RecordAnswer
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.intents import RecordAnswer
from bot.vocabulary import ANSWER_LABELS, CASE_WORKERS

ANSWERS = [Choice(code, label) for code, label in ANSWER_LABELS.items()]
MAX_REASON = 200


class Steps(StrEnum):
    ANSWER = "answer"
    REASON = "reason"


def _ask_answer(ctx: Context) -> str:
    return ctx._("What did {org} answer about {ref}?", org=ctx.data["org"], ref=ctx.data["ref"])


def _answer(ctx: Context, given: Answer) -> Outcome:
    if given.value == "declined":
        return goto(Steps.REASON)
    return finish(intent=RecordAnswer(int(ctx.data["referral"]), given.value))


def _ask_reason(ctx: Context) -> str:
    return ctx._("Why can they not? (A few words, no names.)")


def _reason(ctx: Context, given: Answer) -> Outcome:
    reason = (given.text or "").strip()[:MAX_REASON]
    if not reason:
        return Outcome(invalid=True)
    return finish(intent=RecordAnswer(int(ctx.data["referral"]), "declined", reason))


case_answer = Dialog(
    name="case_answer",
    roles=CASE_WORKERS,
    steps=Steps,
    asks=[
        Step(Steps.ANSWER, prompt=_ask_answer, on_answer=_answer, choices=ANSWERS),
        Step(Steps.REASON, prompt=_ask_reason, on_answer=_reason, accepts_text=True),
    ],
)
