"""A provider says it cannot take a referred family, and why (one question, tap or type).

reason ──tap or text──▶ finished (recorded on the case, the specialist told)
"""

from __future__ import annotations

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish
from bot.i18n import _

REASONS = [
    Choice("full", _("No places")),
    Choice("not_eligible", _("Not eligible")),
    Choice("timing", _("Timing does not fit")),
]


def _ask(ctx: Context) -> str:
    return ctx._("Please tell the specialist why (tap, or type a short reason without names).")


def _reason(ctx: Context, given: Answer) -> Outcome:
    label = next((c.label for c in REASONS if c.value == given.value), None)
    reason = ctx._(label) if label else (given.text or "").strip()[:200]
    if not reason:
        return Outcome(invalid=True)
    ctx.data["reason"] = reason
    return finish(commit=True)


def _commit(turn, ctx: Context) -> list:
    from bot.handlers.staff import referral_declined

    return referral_declined(turn, ctx.data)


case_referral = Dialog(
    name="case_referral",
    roles=frozenset({"member"}),
    on_commit=_commit,
    steps=[Step("reason", prompt=_ask, on_answer=_reason, choices=REASONS, accepts_text=True)],
)
