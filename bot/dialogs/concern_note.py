"""A network member's quick concern note (気になる家庭): one message, a few taps, a reference.

「気になる …」 starts it; the rest of the message is the note. Only what is missing is asked.
A note that seems to name the family (a full name, a phone number, an address) gets a warning
and the offer to rewrite it with initials. Without consent or the protection network's
framework nothing is shared: the member gets guidance instead.

    text? ─▶ pii? ─▶ stage? ─▶ birth? ─▶ area? ─▶ urgency ─▶ basis ─┬─▶ confirm ─送る─▶ FileNote
                                                                  └─同意なし─▶ guidance only
    (confirm ─直す─▶ stage …; a step whose answer is known is skipped)
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from bot.dialogs.choices import STAGE_CHOICES, area_choices
from bot.dialogs.engine import (
    Answer,
    Choice,
    Context,
    Dialog,
    Outcome,
    Step,
    finish,
    goto,
)
from bot.dialogs.note_reading import guess_stage, identifying_words
from bot.i18n import _
from bot.intents import FileNote
from bot.messaging.builders import date_picker, text
from bot.vocabulary import (
    BASIS_LABELS,
    MCH_STAGES,
    STAFF_ROLES,
    STAGE_LABELS,
    URGENCY_LABELS,
    LegalBasis,
    Stage,
    Urgency,
)

URGENCY_CHOICES = [Choice(code, label) for code, label in URGENCY_LABELS.items()]
NO_CONSENT_VALUE = "none"
BASIS_CHOICES = [
    Choice(LegalBasis.CONSENT, _("Parent agreed")),
    Choice(LegalBasis.NETWORK, _("Within 要対協")),
    Choice(LegalBasis.REPORT, _("Suspected abuse")),
    Choice(NO_CONSENT_VALUE, _("No consent")),
]
PII_CHOICES = [Choice("rewrite", _("Rewrite it")), Choice("keep", _("Send as it is"))]
BIRTH_SKIP = [Choice("skip", _("Skip"))]
PICKED_DATE = "date"  # the value the birth-month picker sends
CONFIRM_CHOICES = [Choice("send", _("Send")), Choice("fix", _("Change answers"))]
MAX_TEXT = 1000


class Steps(StrEnum):
    TEXT = "text"
    PII = "pii"
    STAGE = "stage"
    BIRTH = "birth"
    AREA = "area"
    URGENCY = "urgency"
    BASIS = "basis"
    CONFIRM = "confirm"


# ---------------------------------------------------------------- what is still missing


def _next(ctx: Context) -> Steps:
    d = ctx.data
    if not d.get("text"):
        return Steps.TEXT
    if d.get("pii") and not d.get("pii_seen"):
        return Steps.PII
    if not d.get("stage"):
        return Steps.STAGE
    if d["stage"] in MCH_STAGES and "birth_month" not in d:
        return Steps.BIRTH
    if not d.get("area"):
        return Steps.AREA
    if not d.get("urgency"):
        return Steps.URGENCY
    if not d.get("basis"):
        return Steps.BASIS
    return Steps.CONFIRM


def _take_text(ctx: Context, note: str) -> None:
    ctx.data["text"] = note.strip()[:MAX_TEXT]
    ctx.data["pii"] = identifying_words(note)
    ctx.data["pii_seen"] = False
    ctx.data.setdefault("stage", guess_stage(note))
    # Danger in a member's note (often a parent's words quoted) makes the note urgent: it is
    # filed and routed at once, never swallowed by the answer meant for a parent in crisis.
    if ctx.danger is not None and ctx.danger(note):
        ctx.data["danger"] = True
        ctx.data["urgency"] = Urgency.URGENT


def _start(ctx: Context) -> Outcome:
    # The member's own area (remembered at registration) unless the note says otherwise.
    ctx.data["area"] = ctx.profile.get("staff_area")
    opening = ctx.data.pop("opening", None)
    if opening:
        _take_text(ctx, opening)
    return goto(_next(ctx))


# ---------------------------------------------------------------- the steps


def _ask_text(ctx: Context) -> str:
    return ctx._(
        "Please write what you noticed about the family in a few lines. "
        "Use initials (e.g. A-san), not names."
    )


def _text(ctx: Context, given: Answer) -> Outcome:
    if not (given.text or "").strip():
        return Outcome(invalid=True)
    _take_text(ctx, given.text)
    return goto(_next(ctx))


def _ask_pii(ctx: Context) -> str:
    quoted = "、".join(f"「{w}」" for w in ctx.data["pii"])
    return ctx._(
        "This note seems to contain a name, a phone number or an address: {words}. "
        "Initials are enough for the specialists. Rewrite it, or send it as it is? "
        "(You can also type the new text now.)",
        words=quoted,
    )


def _pii(ctx: Context, given: Answer) -> Outcome:
    if given.value == "keep":
        ctx.data["pii_seen"] = True
        return goto(_next(ctx))
    if given.value == "rewrite":
        ctx.data["text"] = ""
        return goto(Steps.TEXT)
    _take_text(ctx, given.text or "")  # typed a new version
    return goto(_next(ctx))


def _ask_stage(ctx: Context) -> str:
    return ctx._("How old is the child?")


def _stage(ctx: Context, given: Answer) -> Outcome:
    ctx.data["stage"] = given.value
    if given.value not in MCH_STAGES:
        ctx.data.pop("birth_month", None)
    return goto(_next(ctx))


def _ask_birth(ctx: Context) -> str:
    if ctx.data.get("stage") == Stage.PREGNANCY:
        return ctx._("If you know the due month, pick a day in it. Otherwise tap Skip.")
    return ctx._("If you know the birth month, pick a day in it. Otherwise tap Skip.")


def _birth_picker(ctx: Context, data) -> list:
    today = ctx.today
    pregnant = ctx.data.get("stage") == Stage.PREGNANCY
    low = today if pregnant else date(today.year - 2, today.month, 1)
    high = date(today.year + 1, today.month, 28) if pregnant else today
    return [
        date_picker(
            ctx._("Pick the month"),
            data(PICKED_DATE),
            initial=today.isoformat(),
            min_=low.isoformat(),
            max_=high.isoformat(),
        )
    ]


def _birth(ctx: Context, given: Answer) -> Outcome:
    if given.value == PICKED_DATE:
        picked = given.params.get("date", "")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", picked):
            return Outcome(invalid=True)
        ctx.data["birth_month"] = picked[:7]
    else:
        ctx.data["birth_month"] = None
    return goto(_next(ctx))


def _ask_area(ctx: Context) -> str:
    return ctx._("Which area does the family live in?")


def _area(ctx: Context, given: Answer) -> Outcome:
    ctx.data["area"] = given.value
    return goto(_next(ctx))


def _ask_urgency(ctx: Context) -> str:
    return ctx._("How soon should a specialist look at this?")


def _urgency(ctx: Context, given: Answer) -> Outcome:
    ctx.data["urgency"] = given.value
    return goto(_next(ctx))


def _ask_basis(ctx: Context) -> str:
    return ctx._(
        "On what basis do you share this? Parent agreed: the parent knows and agreed. "
        "Within 要対協: the family is known to the protection network. Suspected abuse: a "
        "report (通告) under the Child Abuse Prevention Act, article 6 — no consent is needed, "
        "and it is sent as urgent."
    )


NO_CONSENT = _(
    "Then please do not share the family's details. Instead, you can tell the parent about the "
    "support centre's specialists and encourage them to talk to us (they can ask through this "
    "bot too), or ask the parent for consent and send the note again. If you suspect abuse or "
    "neglect, a report (通告) needs no consent: start again and choose Suspected abuse, or call "
    "189. If a child is in danger now, call 110. Nothing from this note was kept."
)


def _basis(ctx: Context, given: Answer) -> Outcome:
    if given.value == NO_CONSENT_VALUE:
        return finish(text(ctx._(NO_CONSENT)))
    ctx.data["basis"] = given.value
    if given.value == LegalBasis.REPORT:
        ctx.data["urgency"] = Urgency.URGENT  # a report is urgent whatever was chosen
    return goto(Steps.CONFIRM)


def _ask_confirm(ctx: Context) -> str:
    d = ctx.data
    lines = [
        ctx._("Send this note to the specialists?"),
        "・" + ctx._(STAGE_LABELS[d["stage"]]),
        "・" + ctx.city.area_name(d["area"]),
        "・" + ctx._(URGENCY_LABELS[d["urgency"]]),
        "・" + ctx._(BASIS_LABELS[d["basis"]]),
        "「" + d["text"][:300] + ("…" if len(d["text"]) > 300 else "") + "」",
    ]
    if d.get("danger"):
        lines.insert(1, ctx._("⚠ The note mentions danger signs: it goes as urgent."))
    return "\n".join(lines)


def _confirm(ctx: Context, given: Answer) -> Outcome:
    d = ctx.data
    if given.value == "send":
        note = FileNote(
            text=d["text"],
            stage=Stage(d["stage"]),
            area=d["area"],
            urgency=Urgency(d["urgency"]),
            basis=LegalBasis(d["basis"]),
            birth_month=d.get("birth_month"),
            danger=bool(d.get("danger")),
        )
        return finish(intent=note)
    for key in ("stage", "urgency", "basis", "area", "birth_month"):
        d.pop(key, None)
    if d.get("danger"):
        d["urgency"] = Urgency.URGENT
    return goto(Steps.STAGE)


concern_note = Dialog(
    name="concern_note",
    prefixes=("気になる",),
    roles=STAFF_ROLES,
    on_start=_start,
    steps=Steps,
    asks=[
        Step(Steps.TEXT, prompt=_ask_text, on_answer=_text, accepts_text=True),
        Step(Steps.PII, prompt=_ask_pii, on_answer=_pii, choices=PII_CHOICES, accepts_text=True),
        Step(Steps.STAGE, prompt=_ask_stage, on_answer=_stage, choices=STAGE_CHOICES),
        Step(
            Steps.BIRTH,
            prompt=_ask_birth,
            on_answer=_birth,
            choices=BIRTH_SKIP,
            pickers=_birth_picker,
            picked=(PICKED_DATE,),
        ),
        Step(Steps.AREA, prompt=_ask_area, on_answer=_area, choices=area_choices),
        Step(Steps.URGENCY, prompt=_ask_urgency, on_answer=_urgency, choices=URGENCY_CHOICES),
        Step(Steps.BASIS, prompt=_ask_basis, on_answer=_basis, choices=BASIS_CHOICES),
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM_CHOICES),
    ],
)
