"""Network meetings (地域子育て支援ネットワーク): 「ネットワーク会議」 starts the dialog; when it is
sent, the area's members are invited and the specialist gets the agenda of the area's open cases
by reference (``bot.network``)."""

from __future__ import annotations

from datetime import datetime, time

from bot.cases import access
from bot.dialogs.meeting import meeting
from bot.handlers.casecard import refused, say
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import TOKYO
from bot.intents import ScheduleMeeting
from bot.network import service

router = Router("meetings", dialogs=(meeting,))


@router.intent(ScheduleMeeting)
def schedule(turn: Turn, asked: ScheduleMeeting) -> None:
    if access.staff_of(turn.session, turn.user) is None or asked.area not in turn.city.area_ids:
        refused(turn)
        return
    t = turn.t
    hour, minute = (int(x) for x in asked.time.split(":"))
    starts = datetime.combine(asked.day, time(hour, minute), TOKYO)
    called, invited = service.schedule(
        turn.session, turn.user, asked.area, starts, asked.place, turn.now, turn.city
    )
    lines = [
        t.gettext(
            "The {area} network meeting on {when} is set; {n} members were invited. "
            "They will be reminded the day before.",
            area=turn.city.area_name(asked.area),
            when=t.datetime(called.starts_at, "short"),
            n=invited,
        ),
        "",
        t.gettext("Agenda: the area's open cases (by reference)"),
    ]
    agenda = service.agenda(turn.session, t, asked.area, turn.city)
    lines += [f"・{line}" for line in agenda] or [t.gettext("No open cases.")]
    say(turn, "\n".join(lines))
