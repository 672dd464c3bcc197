"""Routing a text or a tap: global words first, then the current dialog, then a new request."""

from __future__ import annotations

import logging
import unicodedata

from bot.dialogs import DIALOGS, engine
from bot.dialogs.engine import Answer, Place
from bot.handlers import crisis, parents
from bot.handlers.commands import fold, help_message, is_help, is_stop, menu_buttons
from bot.handlers.registry import BUTTON_COMMANDS, TEXT_COMMANDS
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.messaging.builders import text

log = logging.getLogger(__name__)

EXPIRED = _("That button has expired. Here is where we are now:")
NOT_YOURS = _("Sorry, that button is not available to you.")
EXPIRED_NO_DIALOG = _("That button has expired. Please start again from the menu.")


def _apply(turn: Turn, result: engine.Result, ctx, dialog: engine.Dialog) -> None:
    turn.keep_profile(ctx)
    turn.set_place(result.place)
    turn.say(*result.say)
    if result.commit and dialog.on_commit:
        turn.say(*dialog.on_commit(turn, ctx))


def start_dialog(turn: Turn, name: str, opening: str | None = None) -> None:
    ctx = turn.context({"opening": opening} if opening else None)
    _apply(turn, engine.start(DIALOGS[name], ctx), ctx, DIALOGS[name])


def _trigger_of(turn: Turn, typed: str) -> tuple[str, str | None] | None:
    """The dialog this text starts, and what followed a starting word (「気になる…」)."""
    folded = fold(typed)
    for dialog in DIALOGS.values():
        if turn.user.role not in dialog.roles:
            continue
        if folded in dialog.triggers:
            return dialog.name, None
        for prefix in dialog.prefixes:
            if folded.startswith(prefix):
                rest = unicodedata.normalize("NFKC", typed).strip()[len(prefix) :].strip()
                return dialog.name, rest or None
    return None


def _text_command(turn: Turn, typed: str) -> bool:
    return any(
        command.handle(turn, typed) for command in TEXT_COMMANDS if turn.user.role in command.roles
    )


def on_text(turn: Turn, typed: str) -> None:
    if crisis.check(turn, typed):
        return  # the emergency routes at once; any dialog stays where it was
    place = turn.place()
    if is_stop(typed):
        turn.set_place(None)
        turn.say(
            text(
                turn.t.gettext(
                    _("OK, I stopped that.") if place else _("There is nothing to stop.")
                ),
                quick_replies=menu_buttons(turn.t),
            )
        )
        return
    if is_help(typed):
        turn.say(help_message(turn.t, turn.user.role))
        if place:
            turn.say(_reask(turn, place))
        return
    trigger = _trigger_of(turn, typed)
    if trigger:
        start_dialog(turn, *trigger)
        return
    if _text_command(turn, typed):
        return
    if place and place.dialog in DIALOGS:
        dialog = DIALOGS[place.dialog]
        ctx = turn.context(place.data)
        result = engine.answer(dialog, place, ctx, Answer(text=typed))
        if result.handled:
            _apply(turn, result, ctx, dialog)
            return
        turn.set_place(None)  # the text fits nowhere in the dialog: treat it as a new request
    new_request(turn, typed)


def new_request(turn: Turn, typed: str) -> None:
    """Free text outside any dialog: a question for the knowledge base."""
    parents.answer_question(turn, typed)


def _reask(turn: Turn, place: Place, hint: str | None = None):
    return engine.reask(DIALOGS[place.dialog], place, turn.context(place.data), hint)


def on_postback(turn: Turn, data: str, params: dict) -> None:
    fields = engine.decode_postback(data)
    command = BUTTON_COMMANDS.get(fields.get("cmd", ""))
    if command is not None:
        if turn.user.role in command.roles:
            command.handle(turn, fields, params)
        else:
            log.warning(
                "user %s (%s) tapped %s: refused", turn.user.id, turn.user.role, command.name
            )
            turn.say(text(turn.t.gettext(NOT_YOURS), quick_replies=menu_buttons(turn.t)))
        return
    name = fields.get("dlg")
    if name not in DIALOGS or turn.user.role not in DIALOGS[name].roles:
        log.info("postback with unknown data skipped (%d chars)", len(data))
        turn.say(text(turn.t.gettext(EXPIRED_NO_DIALOG), quick_replies=menu_buttons(turn.t)))
        return
    if fields.get("st") == "start":  # an entry button (rich menu, help): start afresh
        start_dialog(turn, name)
        return
    place = turn.place()
    current = (
        place is not None
        and place.dialog == name
        and place.session == fields.get("sid")
        and place.step == fields.get("st")
    )
    if not current:
        # A button from an older question or session: say so, never act on it.
        if place and place.dialog in DIALOGS:
            turn.say(_reask(turn, place, turn.t.gettext(EXPIRED)))
        else:
            turn.say(text(turn.t.gettext(EXPIRED_NO_DIALOG), quick_replies=menu_buttons(turn.t)))
        return
    ctx = turn.context(place.data)
    given = Answer(value=fields.get("v", ""), params=dict(params or {}))
    _apply(turn, engine.answer(DIALOGS[name], place, ctx, given), ctx, DIALOGS[name])
