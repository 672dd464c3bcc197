"""「わたしのデータ」: after the handler has shown what the city keeps about the parent, this asks
what to do with it — delete it (confirmed once more), read the privacy notice, or nothing.

    choose ──delete──▶ confirm ──delete──▶ ForgetMe
      │ └─privacy notice─▶ choose (again)   └──keep──▶ end
      └──done──▶ end
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import Translator, _
from bot.intents import ForgetMe
from bot.messaging.builders import Action, Message, text

DELETE, PRIVACY, DONE = "delete", "privacy", "done"
YES, NO = "yes", "no"

PRIVACY_NOTICE = _(
    "Privacy notice (つなぐ)\n"
    "・What we keep: your language, and what you tell us to remember (your child's stage, your "
    "area); your outreach consultation bookings; the consultations you asked for and the "
    "messages with the specialists.\n"
    "・Why: to answer you and to connect you with the city's support. Only the city's "
    "specialists (利用者支援専門員) read what you wrote to them, and every time they do is "
    "recorded.\n"
    "・What we do not keep: your name; the bot's messages to you are deleted from our side "
    "once they have been delivered.\n"
    "・How long: bookings until a few months after the consultation; consultations until some "
    "years after they are closed (the city's records).\n"
    "・Your choice: type 「わたしのデータ」 at any time to see what we keep and to have it "
    "deleted."
)


def privacy_notice(t: Translator, quick_replies: list[Action] | None = None) -> Message:
    return text(t.gettext(PRIVACY_NOTICE), quick_replies=quick_replies)


class Steps(StrEnum):
    CHOOSE = "choose"
    CONFIRM = "confirm"


def _ask_choose(ctx: Context) -> str:
    return ctx._("You can have all of this deleted.")


CHOOSE_CHOICES = [
    Choice(DELETE, _("Delete my data")),
    Choice(PRIVACY, _("Privacy notice")),
    Choice(DONE, _("Done")),
]


def _choose(ctx: Context, given: Answer) -> Outcome:
    if given.value == PRIVACY:
        return goto(Steps.CHOOSE, privacy_notice(ctx.t))
    if given.value == DONE:
        return finish(text(ctx._("OK. Nothing was changed.")))
    return goto(Steps.CONFIRM)


def _ask_confirm(ctx: Context) -> str:
    return ctx._(
        "Delete everything the city keeps about you? Your bookings will be cancelled, and what "
        "you wrote in consultations will be erased (the city keeps only that a consultation "
        "took place, with no name and no words). This cannot be undone."
    )


CONFIRM_CHOICES = [Choice(YES, _("Delete")), Choice(NO, _("Do not delete"))]


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == NO:
        return finish(text(ctx._("OK. Nothing was deleted.")))
    return finish(intent=ForgetMe())


mydata = Dialog(
    name="mydata",
    steps=Steps,
    asks=[
        Step(Steps.CHOOSE, prompt=_ask_choose, on_answer=_choose, choices=CHOOSE_CHOICES),
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM_CHOICES),
    ],
    roles=frozenset({"parent"}),
)
