"""Booking an outreach consultation (出張相談): which session → which time → book.

    (handler lists the sessions) ──▶ session ──▶ slot ──▶ confirm ──book──▶ BookOutreach
                                       ▲  └─other areas─┘ │  └─back─┘   └─another time──▶ slot
The handler hands the upcoming sessions and their free slots in (``data["offers"]``, read from
the knowledge base and the bookings); only those offered can be tapped. Whether the slot is
still free when the parent says "book" is the handler's to find out (``bot.outreach.service``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import BookOutreach

ALL = "all"  # "other areas": every session in the city
BACK = "back"
YES, NO = "yes", "no"
SHOWN = 11  # sessions offered as buttons (LINE shows 13 quick replies; two for the rest)

INTRO = _(
    "Outreach consultations (出張相談): a specialist (利用者支援専門員) comes to a place near "
    "you, and you can talk one to one. Free; one slot per family."
)
FULL = _("full")
ASIDE = _("({what})")  # full-width brackets in Japanese
ASIDE_AREA = _("({area}, {room})")
TIME_RANGE = _("{start}–{end}")  # 10:00〜12:00 in Japanese
FREE = _("{n} free")


class Steps(StrEnum):
    SESSION = "session"
    SLOT = "slot"
    CONFIRM = "confirm"


def _offers(ctx: Context) -> list[dict]:
    return ctx.data.get("offers") or []


def _shown(ctx: Context) -> list[tuple[int, dict]]:
    """The sessions listed: in the parent's area (and city-wide) unless they asked for all."""
    every = list(enumerate(_offers(ctx)))
    area = ctx.profile.get("area")
    if area and not ctx.data.get(ALL):
        near = [(i, o) for i, o in every if o.get("a") in (area, None)]
        if any(o["f"] for _, o in near):
            return near[: SHOWN * 2]
    return every[: SHOWN * 2]


def _line(ctx: Context, offer: dict) -> str:
    day = ctx.t.short_day(date.fromisoformat(offer["d"]))
    room = ctx._(FREE, n=len(offer["f"])) if offer["f"] else ctx._(FULL)
    hours = ctx._(TIME_RANGE, start=offer["s"], end=offer["e"])
    area = ctx.city.area_name(offer.get("a"), ctx.t.language)
    aside = ctx._(ASIDE_AREA, area=area, room=room) if area else ctx._(ASIDE, what=room)
    return f"・{day} {hours} {offer['p'] or offer['n']} {aside}"


def _ask_session(ctx: Context) -> str:
    shown = _shown(ctx)
    area = ctx.profile.get("area")
    if area and not ctx.data.get(ALL) and any(o.get("a") == area for _, o in shown):
        head = ctx._("Coming up in {area}:", area=ctx.city.area_name(area, ctx.t.language))
    else:
        head = ctx._("Coming up:")
    lines = [ctx._(INTRO), "", head, *(_line(ctx, o) for _, o in shown)]
    return "\n".join([*lines, "", ctx._("Which session would you like?")])


def _session_choices(ctx: Context) -> list[Choice]:
    free = [(i, o) for i, o in _shown(ctx) if o["f"]][:SHOWN]
    choices = [
        Choice(str(i), f"{ctx.t.short_day(date.fromisoformat(o['d']))} {o['p'] or o['n']}")
        for i, o in free
    ]
    shown = {i for i, _ in _shown(ctx)}
    if any(o["f"] and i not in shown for i, o in enumerate(_offers(ctx))):
        choices.append(Choice(ALL, _("Other areas")))
    return choices


def _session(ctx: Context, given: Answer) -> Outcome:
    if given.value == ALL:
        ctx.data[ALL] = True
        return goto(Steps.SESSION)
    ctx.data["i"] = int(given.value)
    return goto(Steps.SLOT)


def _chosen(ctx: Context) -> dict:
    return _offers(ctx)[int(ctx.data["i"])]


def slot_end(offer: dict, start: str, minutes: int) -> str:
    moment = datetime.fromisoformat(f"{offer['d']}T{start}") + timedelta(minutes=minutes)
    return min(moment.strftime("%H:%M"), offer["e"])


def _where(offer: dict) -> str:
    place = offer["p"] or offer["n"]
    return f"{place}（{offer['ad']}）" if offer.get("ad") else place


def _ask_slot(ctx: Context) -> str:
    offer = _chosen(ctx)
    day = ctx.t.day(date.fromisoformat(offer["d"]), "full")
    return "\n".join(
        [
            f"【{offer['n']}】",
            f"{day} {ctx._(TIME_RANGE, start=offer['s'], end=offer['e'])}",
            _where(offer),
            "",
            ctx._("Which time would you like? ({minutes} minutes)", minutes=_minutes(ctx)),
        ]
    )


def _minutes(ctx: Context) -> int:
    return ctx.city.outreach_slot_minutes


def _slot_choices(ctx: Context) -> list[Choice]:
    offer = _chosen(ctx)
    return [Choice(s, s) for s in offer["f"]] + [Choice(BACK, _("Other sessions"))]


def _slot(ctx: Context, given: Answer) -> Outcome:
    if given.value == BACK:
        return goto(Steps.SESSION)
    ctx.data["slot"] = given.value
    return goto(Steps.CONFIRM)


def _ask_confirm(ctx: Context) -> str:
    offer, slot = _chosen(ctx), ctx.data["slot"]
    day = ctx.t.day(date.fromisoformat(offer["d"]), "full")
    end = slot_end(offer, slot, _minutes(ctx))
    return ctx._(
        "Book this consultation?\n{day} {start}–{end}\n{place}",
        day=day,
        start=slot,
        end=end,
        place=_where(offer),
    )


CONFIRM_CHOICES = [Choice(YES, _("Book")), Choice(NO, _("Another time"))]


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value == NO:
        return goto(Steps.SLOT)
    offer = _chosen(ctx)
    return finish(intent=BookOutreach(offer["k"], date.fromisoformat(offer["d"]), ctx.data["slot"]))


def _open(ctx: Context) -> Outcome:
    # The handler says when there is nothing to book; a re-offer after a lost race opens at the
    # slot step of the same session.
    if "i" in ctx.data:
        return goto(Steps.SLOT)
    return Outcome()


outreach = Dialog(
    name="outreach",
    questions_leave=True,
    steps=Steps,
    asks=[
        Step(Steps.SESSION, prompt=_ask_session, on_answer=_session, choices=_session_choices),
        Step(Steps.SLOT, prompt=_ask_slot, on_answer=_slot, choices=_slot_choices),
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM_CHOICES),
    ],
    roles=frozenset({"parent"}),
    on_start=_open,
)
