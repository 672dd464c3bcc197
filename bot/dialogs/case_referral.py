"""A provider says it cannot take a referred family, and why (one question, tap or type).

reason ──tap or text──▶ finished: DeclineReferral (recorded on the case, the specialist told)
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish
from bot.i18n import _
from bot.intents import DeclineReferral
from bot.vocabulary import Role

REASONS = [
    Choice("full", _("No places")),
    Choice("not_eligible", _("Not eligible")),
    Choice("timing", _("Timing does not fit")),
]
MAX_REASON = 200


class Steps(StrEnum):
    REASON = "reason"


def _ask(ctx: Context) -> str:
    return ctx._("Please tell the specialist why (tap, or type a short reason without names).")


def _reason(ctx: Context, given: Answer) -> Outcome:
    label = next((c.label for c in REASONS if c.value == given.value), None)
    reason = ctx._(label) if label else (given.text or "").strip()[:MAX_REASON]
    if not reason:
        return Outcome(invalid=True)
    return finish(intent=DeclineReferral(int(ctx.data["referral"]), reason))


case_referral = Dialog(
    name="case_referral",
    roles=frozenset({Role.MEMBER}),
    steps=Steps,
    asks=[Step(Steps.REASON, prompt=_ask, on_answer=_reason, choices=REASONS, accepts_text=True)],
)
