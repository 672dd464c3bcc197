"""Asking a specialist: what about → a few words (optional) → how to be reached → send.

    topic ──▶ detail (typed, or skip) ──▶ contact ──LINE──▶ confirm ──send──▶ RequestConsultation
                                             └──phone──▶ phone ──▶ confirm
The router records the request and tells the specialists: its reference, topic, stage and
area, never what the parent wrote (they open that on demand).
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.dialogs.engine import (
    Answer,
    Choice,
    Context,
    Dialog,
    Outcome,
    Step,
    finish,
    goto,
    invalid,
    named_choice,
)
from bot.i18n import _
from bot.intents import ChooseOutreach, RequestConsultation
from bot.messaging.builders import text
from bot.typed import nfkc
from bot.vocabulary import TOPIC_LABELS, Topic

# Meeting a specialist in person at an outreach session (出張相談) is one tap from here too (the
# rich menu's 「専門員に相談」 leads here; bookings are ``bot.dialogs.outreach``'s).
IN_PERSON = "in_person"
TOPICS = [Choice(code, label) for code, label in TOPIC_LABELS.items()] + [
    Choice(IN_PERSON, _("Meet one in person"))
]
# Japanese numbers, hyphens optional: mobile and IP phones (050/070/080/090) have 11 digits,
# landlines 10.
PHONE = re.compile(r"^0[\d-]{9,12}$")
ELEVEN_DIGITS = re.compile(r"^0[5789]0")
MAX_DETAIL = 1000
TOLD = 6  # characters: fewer is a slip at a choice (「はい」), not a worry told
BY_LINE = "line"


class Steps(StrEnum):
    TOPIC = "topic"
    DETAIL = "detail"
    CONTACT = "contact"
    PHONE = "phone"
    CONFIRM = "confirm"


def _ask_topic(ctx: Context) -> str:
    return ctx._("A specialist (利用者支援専門員) will get in touch. What is it about?")


def _topic(ctx: Context, given: Answer) -> Outcome:
    if given.value == IN_PERSON:
        return finish(intent=ChooseOutreach())
    if given.value is not None:
        ctx.data["topic"] = given.value
        return goto(Steps.DETAIL)
    # The worry typed instead of a tap (「保育園の先生とうまく話せなくて」): kept as the few
    # words, under the topic it names or 「その他」, never dropped for a button. A topic named
    # alone (「発達のこと」) asks for the words next; a word or two that names none is asked again.
    told = (given.text or "").strip()
    named = named_choice(ctx, told, TOPICS)
    if told.endswith(("?", "？")) and named is None:
        # 「土日にあいてる支援センターある？」: a question of its own, asked again and then let go
        # to be answered (the engine lets typed text go at its second miss)
        return invalid(ctx._("Please choose one of the buttons below."))
    if len(told) < TOLD or named == IN_PERSON:
        if named is None:
            return invalid(ctx._("Please choose one of the buttons below."))
        return _topic(ctx, Answer(text=told, value=named))
    ctx.data["topic"], ctx.data["detail"] = named or Topic.OTHER.value, told[:MAX_DETAIL]
    return goto(Steps.CONTACT)


def _ask_detail(ctx: Context) -> str:
    return ctx._("If you like, tell me a little more in one message (or tap Skip).")


def _detail(ctx: Context, given: Answer) -> Outcome:
    if given.value != "skip":
        ctx.data["detail"] = (given.text or "").strip()[:MAX_DETAIL]
    return goto(Steps.CONTACT)


def _ask_contact(ctx: Context) -> str:
    return ctx._("How should the specialist contact you?")


def _contact(ctx: Context, given: Answer) -> Outcome:
    if given.value == "phone":
        return goto(Steps.PHONE)
    ctx.data["contact"] = BY_LINE
    return goto(Steps.CONFIRM)


def _ask_phone(ctx: Context) -> str:
    return ctx._("Please type your phone number (e.g. 090-1234-5678).")


def _phone(ctx: Context, given: Answer) -> Outcome:
    number = nfkc(given.text or "").replace("ー", "-")
    digits = number.replace("-", "")
    if not PHONE.match(number) or len(digits) != (11 if ELEVEN_DIGITS.match(digits) else 10):
        return invalid(ctx._("That does not look like a phone number."))
    ctx.data["contact"] = number
    return goto(Steps.CONFIRM)


def _ask_confirm(ctx: Context) -> str:
    topic = ctx._(TOPIC_LABELS[ctx.data["topic"]])
    contact = ctx.data.get("contact", "")
    how = ctx._("by LINE") if contact == BY_LINE else contact
    return ctx._("Send this request? About: {topic} / Contact: {how}", topic=topic, how=how)


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == "send":
        d = ctx.data
        return finish(
            intent=RequestConsultation(Topic(d["topic"]), d.get("detail") or None, d["contact"])
        )
    return finish(text(ctx._("All right, I did not send it.")))


consult = Dialog(
    name="consult",
    triggers=("相談", "そうだん", "相談したい", "専門員に相談", "consult", "ask a specialist"),
    steps=Steps,
    asks=[
        Step(Steps.TOPIC, prompt=_ask_topic, on_answer=_topic, choices=TOPICS, accepts_text=True),
        Step(
            Steps.DETAIL,
            prompt=_ask_detail,
            on_answer=_detail,
            accepts_text=True,
            choices=[Choice("skip", _("Skip"))],
        ),
        Step(
            Steps.CONTACT,
            prompt=_ask_contact,
            on_answer=_contact,
            choices=[Choice(BY_LINE, _("Here in LINE")), Choice("phone", _("By phone"))],
        ),
        Step(Steps.PHONE, prompt=_ask_phone, on_answer=_phone, accepts_text=True),
        Step(
            Steps.CONFIRM,
            prompt=_ask_confirm,
            on_answer=_confirm,
            choices=[Choice("send", _("Send")), Choice("cancel", _("Cancel"))],
        ),
    ],
)
