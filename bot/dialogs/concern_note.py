"""A network member's quick concern note (気になる家庭): one message, a few taps, a reference.

「気になる …」 starts it; the rest of the message is the note. Only what is missing is asked.
A note that seems to name the family (a full name, a phone number, an address) gets a warning
and the offer to rewrite it with initials. Without consent or the protection network's
framework nothing is shared: the member gets guidance instead.

    text? ─▶ pii? ─▶ stage? ─▶ birth? ─▶ area? ─▶ urgency ─▶ basis ─┬─▶ confirm ─送る─▶ K-0042
                                                                  └─同意なし─▶ guidance only
    (confirm ─直す─▶ stage …; a step whose answer is known is skipped)
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from bot.cases import labels
from bot.dialogs.choices import STAGE_CHOICES
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
)
from bot.i18n import _
from bot.knowledge.facets import extract
from bot.messaging.builders import date_picker, text

URGENCY_CHOICES = [Choice(code, label) for code, label in labels.URGENCY_LABELS.items()]
BASIS_CHOICES = [
    Choice("consent", _("Parent agreed")),
    Choice("network", _("Within 要対協")),
    Choice("none", _("No consent")),
]
PII_CHOICES = [Choice("rewrite", _("Rewrite it")), Choice("keep", _("Send as it is"))]
BIRTH_SKIP = [Choice("skip", _("Skip"))]
CONFIRM_CHOICES = [Choice("send", _("Send")), Choice("fix", _("Change answers"))]
MAX_TEXT = 1000

# ---------------------------------------------------------------- reading the member's words

_PHONE = re.compile(r"0\d{1,4}[-ー‐ｰ ]?\d{1,4}[-ー‐ｰ ]?\d{3,4}|\d{10,11}")
_ADDRESS = re.compile(r"\d+丁目|\d+番地|\d+番\d+号|\d+-\d+-\d+|[都道府県市区町村]\S{0,8}\d+-\d+")
_NAME = re.compile(r"([一-龥々]{2,5}|[ァ-ヶー]{3,8})(?:さん|ちゃん|くん|君|様|氏)")
# Roles and relations, not names: 保育士さん, お母さん …
_NOT_NAMES = (
    "保育士",
    "保健師",
    "先生",
    "担任",
    "園長",
    "母親",
    "父親",
    "祖母",
    "祖父",
    "兄弟",
    "姉妹",
    "民生委員",
    "児童委員",
    "主任",
    "看護師",
    "助産師",
    "お母",
    "お父",
    "赤",
)


def seems_identifying(note: str) -> bool:
    """True when the note seems to hold a full name, a phone number or an address."""
    folded = unicodedata.normalize("NFKC", note)
    if _PHONE.search(folded) or _ADDRESS.search(folded):
        return True
    for match in _NAME.finditer(folded):
        if not any(word in match.group(1) for word in _NOT_NAMES):
            return True
    return False


def guess_stage(note: str) -> str | None:
    """The child's stage when the note says it plainly (「0歳」「妊娠中」「小学2年」); else None."""
    folded = unicodedata.normalize("NFKC", note)
    found = set()
    if re.search(r"妊娠|妊婦|出産予定", folded):
        found.add("pregnancy")
    if re.search(r"新生児|乳児|赤ちゃん", folded):
        found.add("age0")
    # Ages as parents and staff write them (「3さい」「1歳半」「生後6か月」): the search's reader.
    found |= extract(note, None, date.today())[0].stages
    if re.search(r"小学|小[1-6]", folded):
        found.add("school")
    return found.pop() if len(found) == 1 else None


# ---------------------------------------------------------------- what is still missing


def _next(ctx: Context) -> str:
    d = ctx.data
    if not d.get("text"):
        return "text"
    if d.get("pii") and not d.get("pii_seen"):
        return "pii"
    if not d.get("stage"):
        return "stage"
    if d["stage"] in ("pregnancy", "age0") and "birth_month" not in d:
        return "birth"
    if not d.get("area"):
        return "area"
    if not d.get("urgency"):
        return "urgency"
    if not d.get("basis"):
        return "basis"
    return "confirm"


def _take_text(ctx: Context, note: str) -> None:
    ctx.data["text"] = note.strip()[:MAX_TEXT]
    ctx.data["pii"] = seems_identifying(note)
    ctx.data["pii_seen"] = False
    ctx.data.setdefault("stage", guess_stage(note))


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
    return ctx._(
        "This note seems to contain a full name, a phone number or an address. "
        "Initials are enough for the specialists. Rewrite it, or send it as it is? "
        "(You can also type the new text now.)"
    )


def _pii(ctx: Context, given: Answer) -> Outcome:
    if given.value == "keep":
        ctx.data["pii_seen"] = True
        return goto(_next(ctx))
    if given.value == "rewrite":
        ctx.data["text"] = ""
        return goto("text")
    _take_text(ctx, given.text or "")  # typed a new version
    return goto(_next(ctx))


def _ask_stage(ctx: Context) -> str:
    return ctx._("How old is the child?")


def _stage(ctx: Context, given: Answer) -> Outcome:
    ctx.data["stage"] = given.value
    if given.value not in ("pregnancy", "age0"):
        ctx.data.pop("birth_month", None)
    return goto(_next(ctx))


def _ask_birth(ctx: Context) -> str:
    if ctx.data.get("stage") == "pregnancy":
        return ctx._("If you know the due month, pick a day in it. Otherwise tap Skip.")
    return ctx._("If you know the birth month, pick a day in it. Otherwise tap Skip.")


def _birth_picker(ctx: Context, dialog: str, session: str) -> list:
    today = ctx.now.date()
    pregnant = ctx.data.get("stage") == "pregnancy"
    low = today if pregnant else date(today.year - 2, today.month, 1)
    high = date(today.year + 1, today.month, 28) if pregnant else today
    return [
        date_picker(
            ctx._("Pick the month"),
            encode_postback(dlg=dialog, st="birth", sid=session, v="date"),
            initial=today.isoformat(),
            min_=low.isoformat(),
            max_=high.isoformat(),
        )
    ]


def _birth(ctx: Context, given: Answer) -> Outcome:
    if given.value == "date":
        picked = given.params.get("date", "")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", picked):
            return Outcome(invalid=True)
        ctx.data["birth_month"] = picked[:7]
    else:
        ctx.data["birth_month"] = None
    return goto(_next(ctx))


def _area_choices(ctx: Context) -> list[Choice]:
    areas = ctx.services.city.get("areas", []) if ctx.services else []
    return [Choice(a["id"], a["name"]) for a in areas]


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
        "Within 要対協: the family is known to the protection network."
    )


NO_CONSENT = _(
    "Then please do not share the family's details. Instead, you can tell the parent about the "
    "support centre's specialists and encourage them to talk to us (they can ask through this "
    "bot too), or ask the parent for consent and send the note again. "
    "If a child may be in danger, call 189 at once. Nothing from this note was kept."
)


def _basis(ctx: Context, given: Answer) -> Outcome:
    if given.value == "none":
        return finish(text(ctx._(NO_CONSENT)))
    ctx.data["basis"] = given.value
    return goto("confirm")


def _ask_confirm(ctx: Context) -> str:
    d = ctx.data
    lines = [
        ctx._("Send this note to the specialists?"),
        "・" + ctx._(labels.STAGE_LABELS[d["stage"]]),
        "・" + labels.area_name(ctx.services.city if ctx.services else {}, d["area"]),
        "・" + ctx._(labels.URGENCY_LABELS[d["urgency"]]),
        "・" + ctx._(labels.BASIS_LABELS[d["basis"]]),
        "「" + d["text"][:300] + ("…" if len(d["text"]) > 300 else "") + "」",
    ]
    return "\n".join(lines)


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == "send":
        return finish(commit=True)
    for key in ("stage", "urgency", "basis", "area"):
        ctx.data.pop(key, None)
    ctx.data.pop("birth_month", None)
    return goto("stage")


def _filed(turn, ctx: Context) -> list:
    from bot.handlers.staff import file_concern_note

    return file_concern_note(turn, ctx.data)


concern_note = Dialog(
    name="concern_note",
    prefixes=("気になる",),
    roles=frozenset({"member", "specialist", "admin"}),
    on_start=_start,
    on_commit=_filed,
    steps=[
        Step("text", prompt=_ask_text, on_answer=_text, accepts_text=True),
        Step("pii", prompt=_ask_pii, on_answer=_pii, choices=PII_CHOICES, accepts_text=True),
        Step("stage", prompt=_ask_stage, on_answer=_stage, choices=STAGE_CHOICES),
        Step(
            "birth",
            prompt=_ask_birth,
            on_answer=_birth,
            choices=BIRTH_SKIP,
            extra_actions=_birth_picker,
        ),
        Step("area", prompt=_ask_area, on_answer=_area, choices=_area_choices),
        Step("urgency", prompt=_ask_urgency, on_answer=_urgency, choices=URGENCY_CHOICES),
        Step("basis", prompt=_ask_basis, on_answer=_basis, choices=BASIS_CHOICES),
        Step("confirm", prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM_CHOICES),
    ],
)
