"""A specialist calls a network meeting: which area → which day → what time → where → send.

area ──▶ day (date picker) ──▶ time ──▶ place (typed) ──▶ confirm ──▶ finished: ScheduleMeeting
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from bot.dialogs.choices import area_choices
from bot.dialogs.engine import Answer, Choice, Context, Dialog, Outcome, Step, finish, goto
from bot.i18n import _
from bot.intents import ScheduleMeeting
from bot.messaging.builders import date_picker, text
from bot.typed import nfkc
from bot.vocabulary import CASE_WORKERS

PICKED = "date"
TIMES = [Choice(t, t) for t in ("10:00", "13:30", "15:00", "18:30")]
CONFIRM = [Choice("send", _("Send invitations")), Choice("cancel", _("Cancel"))]
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：時]([0-5]\d)?分?$")


class Steps(StrEnum):
    AREA = "area"
    DAY = "day"
    TIME = "time"
    PLACE = "place"
    CONFIRM = "confirm"


def _ask_area(ctx: Context) -> str:
    return ctx._("Which area's network is meeting?")


def _area(ctx: Context, given: Answer) -> Outcome:
    ctx.data["area"] = given.value
    return goto(Steps.DAY)


def _ask_day(ctx: Context) -> str:
    return ctx._("On which day? Pick it.")


def _day_picker(ctx: Context, data) -> list:
    today = ctx.today.isoformat()
    return [date_picker(ctx._("Pick the day"), data(PICKED), initial=today, min_=today)]


def _day(ctx: Context, given: Answer) -> Outcome:
    try:
        day = date.fromisoformat(given.params.get("date", ""))
    except ValueError:
        return Outcome(invalid=True)
    if day < ctx.today:
        return Outcome(invalid=True, hint=ctx._("Please pick a day from today on."))
    ctx.data["day"] = day.isoformat()
    return goto(Steps.TIME)


def _ask_time(ctx: Context) -> str:
    return ctx._("What time? Tap one, or type it (e.g. 14:00).")


def _time(ctx: Context, given: Answer) -> Outcome:
    typed = nfkc(given.value or given.text or "").replace(" ", "")
    match = _TIME.match(typed)
    if match is None:
        return Outcome(invalid=True, hint=ctx._("Please give a time such as 14:00."))
    ctx.data["time"] = f"{int(match[1]):02d}:{match[2] or '00'}"
    return goto(Steps.PLACE)


def _ask_place(ctx: Context) -> str:
    return ctx._("Where? (e.g. 北地区公民館 2F)")


def _place(ctx: Context, given: Answer) -> Outcome:
    place = (given.text or "").strip()[:200]
    if not place:
        return Outcome(invalid=True)
    ctx.data["place"] = place
    return goto(Steps.CONFIRM)


def _ask_confirm(ctx: Context) -> str:
    d = ctx.data
    return ctx._(
        "Invite the members of {area} to a network meeting on {day} at {time}, at {place}?",
        area=ctx.city.area_name(d["area"]),
        day=d["day"],
        time=d["time"],
        place=d["place"],
    )


def _confirm(ctx: Context, given: Answer) -> Outcome:
    if given.value != "send":
        return finish(text(ctx._("All right, no meeting was called.")))
    d = ctx.data
    return finish(
        intent=ScheduleMeeting(d["area"], date.fromisoformat(d["day"]), d["time"], d["place"])
    )


meeting = Dialog(
    name="meeting",
    triggers=("ネットワーク会議", "ねっとわーくかいぎ", "network meeting"),
    roles=CASE_WORKERS,
    steps=Steps,
    asks=[
        Step(Steps.AREA, prompt=_ask_area, on_answer=_area, choices=area_choices),
        Step(Steps.DAY, prompt=_ask_day, on_answer=_day, pickers=_day_picker, picked=(PICKED,)),
        Step(Steps.TIME, prompt=_ask_time, on_answer=_time, choices=TIMES, accepts_text=True),
        Step(Steps.PLACE, prompt=_ask_place, on_answer=_place, accepts_text=True),
        Step(Steps.CONFIRM, prompt=_ask_confirm, on_answer=_confirm, choices=CONFIRM),
    ],
)
