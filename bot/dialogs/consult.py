"""Asking a specialist: what about → a few words (optional) → how to be reached → send.

    topic ──▶ detail (typed, or skip) ──▶ contact ──LINE──▶ confirm ──send──▶ finished (S-0001)
                                             └──phone──▶ phone ──▶ confirm
The request is recorded and the specialists are told — its reference, topic, stage and area,
never what the parent wrote (they open that on demand).
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from bot.cases.labels import area_name
from bot.dialogs.choices import STAGE_LABELS
from bot.dialogs.engine import (
    Answer,
    Choice,
    Context,
    Dialog,
    Outcome,
    Step,
    encode_postback,
    finish,
    goto,
    invalid,
)
from bot.i18n import Translator, _
from bot.messaging.builders import Message, buttons, postback, text
from bot.messaging.outbox import enqueue
from bot.storage.models import ConsultationRequest, LineUser

TOPICS = [
    Choice("childcare", _("Nursery/kindergarten")),
    Choice("worries", _("Parenting worries")),
    Choice("development", _("Growth/development")),
    Choice("pregnancy", _("Pregnancy and birth")),
    Choice("money", _("Money/procedures")),
    Choice("other", _("Something else")),
]
TOPIC_LABELS = {c.value: c.label for c in TOPICS}
# Japanese numbers, hyphens optional: mobile and IP phones (050/070/080/090) have 11 digits,
# landlines 10.
PHONE = re.compile(r"^0[\d-]{9,12}$")
ELEVEN_DIGITS = re.compile(r"^0[5789]0")


def _ask_topic(ctx: Context) -> str:
    return ctx._("A specialist (利用者支援専門員) will get in touch. What is it about?")


def _topic(ctx: Context, given: Answer) -> Outcome:
    ctx.data["topic"] = given.value
    return goto("detail")


def _ask_detail(ctx: Context) -> str:
    return ctx._("If you like, tell me a little more in one message (or tap Skip).")


def _detail(ctx: Context, given: Answer) -> Outcome:
    if given.value != "skip":
        ctx.data["detail"] = (given.text or "").strip()[:1000]
    return goto("contact")


def _ask_contact(ctx: Context) -> str:
    return ctx._("How should the specialist contact you?")


def _contact(ctx: Context, given: Answer) -> Outcome:
    if given.value == "phone":
        return goto("phone")
    ctx.data["contact"] = "line"
    return goto("confirm")


def _ask_phone(ctx: Context) -> str:
    return ctx._("Please type your phone number (e.g. 090-1234-5678).")


def _phone(ctx: Context, given: Answer) -> Outcome:
    number = unicodedata.normalize("NFKC", given.text or "").replace("ー", "-").strip()
    digits = number.replace("-", "")
    if not PHONE.match(number) or len(digits) != (11 if ELEVEN_DIGITS.match(digits) else 10):
        return invalid(ctx._("That does not look like a phone number."))
    ctx.data["contact"] = number
    return goto("confirm")


def _ask_confirm(ctx: Context) -> str:
    topic = ctx._(TOPIC_LABELS.get(ctx.data.get("topic", ""), ""))
    how = ctx._("by LINE") if ctx.data.get("contact") == "line" else ctx.data.get("contact", "")
    return ctx._("Send this request? About: {topic} / Contact: {how}", topic=topic, how=how)


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == "send":
        return finish(commit=True)
    return finish(text(ctx._("All right, I did not send it.")))


def record(turn, ctx: Context) -> list[Message]:
    """Write the request and tell the specialists (reference, topic, stage, area; no text)."""
    profile = turn.user.profile or {}
    request = ConsultationRequest(
        user_id=turn.user.id,
        topic=ctx.data.get("topic", "other"),
        stage=profile.get("stage"),
        area=profile.get("area"),
        detail=ctx.data.get("detail") or None,
        contact=ctx.data.get("contact"),
    )
    turn.session.add(request)
    turn.session.flush()
    specialists = turn.session.scalars(
        select(LineUser).where(LineUser.role == "specialist", LineUser.active.is_(True))
    ).all()
    for specialist in specialists:
        st = Translator(specialist.language)
        body = st.gettext(
            "New consultation request {ref}: {topic}, stage {stage}, area {area}.",
            ref=request.reference,
            topic=st.gettext(TOPIC_LABELS[request.topic]),
            stage=st.gettext(STAGE_LABELS.get(request.stage or "", "")) or "-",
            area=area_name(turn.services.city, request.area) or "-",
        )
        view = postback(
            st.gettext("Open the request"), encode_postback(cmd="consult_view", id=request.id)
        )
        enqueue(
            turn.session,
            specialist.line_user_id,
            [buttons(body, [view])],
            source_event_id=turn.event_id,
        )
    return [
        text(
            ctx._(
                "Sent. Your reference is {ref}. A specialist will contact you within "
                "two business days.",
                ref=request.reference,
            )
        )
    ]


consult = Dialog(
    name="consult",
    triggers=("相談", "そうだん", "相談したい", "専門員に相談", "consult", "ask a specialist"),
    steps=[
        Step("topic", prompt=_ask_topic, on_answer=_topic, choices=TOPICS),
        Step(
            "detail",
            prompt=_ask_detail,
            on_answer=_detail,
            accepts_text=True,
            choices=[Choice("skip", _("Skip"))],
        ),
        Step(
            "contact",
            prompt=_ask_contact,
            on_answer=_contact,
            choices=[Choice("line", _("Here in LINE")), Choice("phone", _("By phone"))],
        ),
        Step("phone", prompt=_ask_phone, on_answer=_phone, accepts_text=True),
        Step(
            "confirm",
            prompt=_ask_confirm,
            on_answer=_confirm,
            choices=[Choice("send", _("Send")), Choice("cancel", _("Cancel"))],
        ),
    ],
    on_commit=record,
)
