"""「わたしのデータ」: what the city keeps about a parent, shown on request and deleted on request
(with a confirmation); the privacy notice, one tap from the welcome."""

from __future__ import annotations

import logging

from babel import Locale

from bot.dialogs.mydata import mydata, privacy_notice
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import Translator, _
from bot.intents import ForgetMe
from bot.messaging.builders import Action, menu_tap, text
from bot.messaging.postback import Command, MenuTap
from bot.privacy import service
from bot.typed import fold
from bot.vocabulary import STAGE_LABELS, Role, reference_of

log = logging.getLogger(__name__)
PARENTS = frozenset({Role.PARENT})
router = Router("mydata", dialogs=(mydata,))

MY_DATA_WORDS = {"わたしのデータ", "私のデータ", "わたしの情報", "私の情報", "my data"}
PRIVACY_WORDS = {"プライバシー", "ぷらいばしー", "個人情報", "privacy", "privacy notice"}
MY_DATA = _("My data")
PRIVACY = _("Privacy notice")
NOT_TOLD = _("not told")
NONE = _("none")
OPEN = _("open")


def my_data_button(t: Translator) -> Action:
    return menu_tap(t.gettext(MY_DATA), Command.MY_DATA)


def privacy_button(t: Translator) -> Action:
    return menu_tap(t.gettext(PRIVACY), Command.PRIVACY)


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(code) or code
    except ValueError:
        return code


def summary(turn: Turn) -> str:
    t = turn.t
    kept = service.kept(turn.session, turn.user, turn.now)
    stage = t.gettext(STAGE_LABELS[kept.stage]) if kept.stage in STAGE_LABELS else None
    area = turn.city.area_name(kept.area, turn.t.language) if kept.area else None
    bookings = [f"{t.short_day(b.day)} {b.starts} {b.title}" for b in kept.bookings]
    cases = [
        f"{reference_of(c.kind, c.id)}（{t.gettext(OPEN)}）"
        for c in kept.open_cases  # references only: what they wrote is not repeated here
    ]
    lines = [
        t.gettext("What the city keeps about you (わたしのデータ):"),
        "・" + t.gettext("Language: {value}", value=_language_name(kept.language)),
        "・" + t.gettext("Child's stage: {value}", value=stage or t.gettext(NOT_TOLD)),
        "・" + t.gettext("Area: {value}", value=area or t.gettext(NOT_TOLD)),
        "・" + t.gettext("Outreach consultation bookings: {n}", n=len(bookings)),
        *(f"　{b}" for b in bookings),
        "・"
        + t.gettext(
            "Consultations you asked for: {n} (open: {open})",
            n=len(kept.consultations),
            open="、".join(cases) or t.gettext(NONE),
        ),
    ]
    return "\n".join(lines)


@router.text("mydata", roles=PARENTS)
def mydata_words(turn: Turn, typed: str) -> bool:
    said = fold(typed)
    if said in MY_DATA_WORDS:
        show(turn)
        return True
    if said in PRIVACY_WORDS:
        _privacy(turn)
        return True
    return False


def show(turn: Turn) -> None:
    turn.say(text(summary(turn)))
    turn.start(mydata)


def _privacy(turn: Turn) -> None:
    turn.say(privacy_notice(turn.t, [my_data_button(turn.t)]))
    turn.services.chat.ask_again(turn)  # a question they were answering keeps its buttons


@router.button(Command.MY_DATA, roles=PARENTS)
def my_data_tap(turn: Turn, tapped: MenuTap, params: dict) -> None:
    show(turn)


@router.button(Command.PRIVACY)
def privacy_tap(turn: Turn, tapped: MenuTap, params: dict) -> None:
    _privacy(turn)


@router.intent(ForgetMe)
def forget(turn: Turn, asked: ForgetMe) -> None:
    t = turn.t  # their language, before their row goes
    service.forget(turn.session, turn.user)
    log.info("a parent's data was deleted on request")  # nothing that could name them
    turn.say(
        text(
            t.gettext(
                "Done: what the city kept about you has been deleted. If you write again, I will "
                "start afresh. Take care."
            )
        )
    )
