"""Referring a case to a provider: which organisation (members of some answer in the chat; for
others the referral is made by phone, on paper or by email, and its answer entered later).

org ──tap, or type part of a name──┬─ has members ──▶ finished: Refer(channel="line")
                                    └─ none ──▶ channel ──▶ finished: Refer(channel=…)
The organisations offered (and which have members) are put in the data when the dialog starts.
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import Refer
from bot.messaging.builders import text
from bot.typed import fold
from bot.vocabulary import CASE_WORKERS, CHANNEL_LABELS

CHANNELS = [Choice(code, label) for code, label in CHANNEL_LABELS.items()]
CANCEL = Choice("cancel", _("Cancel"))


class Steps(StrEnum):
    ORG = "org"
    CHANNEL = "channel"


def _orgs(ctx: Context) -> list[Choice]:
    return [Choice(str(i), label) for i, (_org, label) in enumerate(ctx.data["offered"])]


def _ask_org(ctx: Context) -> str:
    return ctx._(
        "Refer {ref} to which organisation? (Tap one, or type part of its name.)",
        ref=ctx.data["ref"],
    )


def _org(ctx: Context, given: Answer) -> Outcome:
    names = [org for org, _label in ctx.data["offered"]]
    if given.value is not None:
        chosen = names[int(given.value)]
    else:
        typed = fold(given.text or "")
        found = [org for org in names if typed and typed in fold(org)]
        if len(found) != 1:
            return Outcome(invalid=True, hint=ctx._("I could not tell which one you mean."))
        chosen = found[0]
    ctx.data["org"] = chosen
    if chosen in ctx.data["members"]:
        return finish(intent=Refer(int(ctx.data["case"]), chosen, "line"))
    return goto(Steps.CHANNEL)


def _ask_channel(ctx: Context) -> str:
    return ctx._(
        "{org} has nobody registered with the bot. How did you (or will you) ask them? "
        "You can enter their answer on the case later.",
        org=ctx.data["org"],
    )


def _channel(ctx: Context, given: Answer) -> Outcome:
    if given.value == CANCEL.value:
        return finish(text(ctx._("All right, no referral was recorded.")))
    return finish(intent=Refer(int(ctx.data["case"]), ctx.data["org"], given.value))


case_refer = Dialog(
    name="case_refer",
    roles=CASE_WORKERS,
    steps=Steps,
    asks=[
        Step(Steps.ORG, prompt=_ask_org, on_answer=_org, choices=_orgs, accepts_text=True),
        Step(Steps.CHANNEL, prompt=_ask_channel, on_answer=_channel, choices=[*CHANNELS, CANCEL]),
    ],
)
