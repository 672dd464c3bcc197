"""Routing a text or a tap. A text: the danger check, then やめる/ヘルプ, a dialog's starting
word, a text command, the current dialog, and last a question for the knowledge base. A tap:
its button data unpacked (``messaging.postback``), then its command or its dialog.

Each feature makes a ``Router`` of its own (aiogram's shape): the text and button commands it
answers, the dialogs it starts, the intents it carries out. The app factory composes them with
``include`` into the one chat router (``bot.app.chat_router``); nothing registers itself by
being imported. The composed router keeps each person's place in a dialog, refuses buttons from
an older question, and carries out what a finished dialog decided — the one table from intent
to handler is ``Router.intents``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.dialogs import engine
from bot.dialogs.engine import Answer, Dialog, Place
from bot.handlers import crisis
from bot.handlers.commands import help_message, is_help, is_stop, menu_buttons
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.messaging.builders import text
from bot.messaging.postback import Button, Command, DialogEntry, DialogTap, unpack
from bot.typed import fold, nfkc
from bot.vocabulary import EVERYONE, Role

log = logging.getLogger(__name__)

EXPIRED = _("That button has expired. Here is where we are now:")
NOT_YOURS = _("Sorry, that button is not available to you.")
EXPIRED_NO_DIALOG = _("That button has expired. Please start again from the menu.")
TOO_LONG = _("That message is longer than I can read. Could you send it in shorter parts?")
LONGEST = 5000  # LINE's limit on a text message

TextHandler = Callable[[Turn, str], bool]  # True: it was for this command
ButtonHandler = Callable[[Turn, Any, dict], None]  # the unpacked button, the picker's params
IntentHandler = Callable[[Turn, Any], None]


@dataclass(frozen=True)
class TextCommand:
    name: str
    handle: TextHandler
    roles: frozenset[str]


@dataclass(frozen=True)
class ButtonCommand:
    command: Command
    handle: ButtonHandler
    roles: frozenset[str]


class Router:
    def __init__(self, name: str, dialogs: tuple[Dialog, ...] = ()):
        self.name = name
        self.texts: list[TextCommand] = []
        self.buttons: dict[Command, ButtonCommand] = {}
        self.intents: dict[type, IntentHandler] = {}
        self.dialogs: dict[str, Dialog] = {}
        self.otherwise: TextHandler | None = None
        for dialog in dialogs:
            self._add(self.dialogs, dialog.name, dialog, "dialog")

    # ------------------------------------------------------------ declaring

    def text(self, name: str, roles: frozenset[str] = EVERYONE):
        """A command answering typed text, tried in the order the routers were included."""

        def register(handle: TextHandler) -> TextHandler:
            self.texts.append(TextCommand(name, handle, roles))
            return handle

        return register

    def button(self, command: Command, roles: frozenset[str] = EVERYONE):
        def register(handle: ButtonHandler) -> ButtonHandler:
            self._add(self.buttons, command, ButtonCommand(command, handle, roles), "button")
            return handle

        return register

    def intent(self, kind: type):
        def register(handle: IntentHandler) -> IntentHandler:
            self._add(self.intents, kind, handle, "intent")
            return handle

        return register

    def fallback(self, handle: TextHandler) -> TextHandler:
        """What typed text that nothing else took becomes (a question for the knowledge base)."""
        self.otherwise = handle
        return handle

    def include(self, *routers: Router) -> Router:
        for router in routers:
            self.texts += router.texts
            for table, theirs, what in (
                (self.buttons, router.buttons, "button"),
                (self.intents, router.intents, "intent"),
                (self.dialogs, router.dialogs, "dialog"),
            ):
                for key, value in theirs.items():
                    self._add(table, key, value, what)
            if router.otherwise is not None:
                if self.otherwise is not None:
                    raise ValueError(f"router {router.name}: a second fallback")
                self.otherwise = router.otherwise
        return self

    def _add(self, table: dict, key, value, what: str) -> None:
        if key in table:  # two handlers for one thing: found when the app is built
            raise ValueError(f"router {self.name}: {what} {key!r} is handled twice")
        table[key] = value

    # ------------------------------------------------------------ dialogs

    def start_dialog(self, turn: Turn, dialog: Dialog, data: dict | None = None) -> None:
        ctx = turn.context(data)
        self._apply(turn, engine.start(dialog, ctx), ctx)

    def _apply(self, turn: Turn, result: engine.Result, ctx: engine.Context) -> None:
        turn.keep_profile(ctx)
        turn.set_place(result.place)
        turn.say(*result.say)
        if result.intent is not None:
            self.intents[type(result.intent)](turn, result.intent)

    def ask_again(self, turn: Turn) -> None:
        """Ask the speaker's current question again, buttons and all (after an aside such as
        the privacy notice, whose message took the question's buttons away)."""
        place = turn.place()
        if place is not None and place.dialog in self.dialogs:
            turn.say(self._reask(turn, place))

    def _reask(self, turn: Turn, place: Place, hint: str | None = None):
        dialog = self.dialogs[place.dialog]
        return engine.reask(dialog, place, turn.context(place.data), hint)

    def _trigger_of(self, turn: Turn, typed: str) -> tuple[Dialog, str | None] | None:
        """The dialog this text starts, and what followed a starting word (「気になる…」)."""
        folded = fold(typed)
        for dialog in self.dialogs.values():
            if turn.user.role not in dialog.roles:
                continue
            if folded in dialog.triggers:
                return dialog, None
            for prefix in dialog.prefixes:
                if folded.startswith(prefix):
                    return dialog, nfkc(typed)[len(prefix) :].strip() or None
        return None

    # ------------------------------------------------------------ a text

    def on_text(self, turn: Turn, typed: str) -> None:
        parent = turn.user.role == Role.PARENT
        if parent and crisis.check(turn, typed):
            return  # the emergency routes at once; any dialog stays where it was
        # (after a concern answer the text goes on: a question in it is still answered)
        if len(typed) > LONGEST:  # past what LINE sends: read for danger (above), nothing more
            turn.say(text(turn.t.gettext(TOO_LONG), quick_replies=menu_buttons(turn.t)))
            return
        place = turn.place()
        if place is not None and place.dialog not in self.dialogs:
            turn.set_place(None)  # a dialog this version no longer has
            place = None
        if is_stop(typed):
            turn.set_place(None)
            said = _("OK, I stopped that.") if place else _("There is nothing to stop.")
            turn.say(text(turn.t.gettext(said), quick_replies=menu_buttons(turn.t)))
            return
        if is_help(typed):
            turn.say(help_message(turn.t, turn.user.role))
            if place:
                turn.say(self._reask(turn, place))
            return
        if trigger := self._trigger_of(turn, typed):
            dialog, opening = trigger
            self.start_dialog(turn, dialog, {"opening": opening} if opening else None)
            return
        for command in self.texts:
            if turn.user.role in command.roles and command.handle(turn, typed):
                return
        if place:
            ctx = turn.context(place.data)
            result = engine.answer(self.dialogs[place.dialog], place, ctx, Answer(text=typed))
            if result.handled:
                self._apply(turn, result, ctx)
                return
            turn.set_place(None)  # the text fits nowhere in the dialog: treat it as a new request
        if not parent and crisis.advise_colleague(turn, typed):
            return
        if self.otherwise is not None:
            self.otherwise(turn, typed)

    def on_not_text(self, turn: Turn) -> None:
        """A sticker, a photo …: thanked, and a pending question asked again with its buttons
        (the dialog stays where it was)."""
        thanks = text(turn.t.gettext("Thank you! I can only read text messages for now."))
        place = turn.place()
        if place is not None and place.dialog in self.dialogs:
            turn.say(thanks, self._reask(turn, place))
        else:
            turn.say(thanks)

    # ------------------------------------------------------------ a tap

    def on_postback(self, turn: Turn, data: str, params: dict) -> None:
        button = unpack(data)
        if button is None:
            log.info("postback with unknown data skipped (%d chars)", len(data))
            self._expired(turn)
        elif isinstance(button, DialogEntry | DialogTap):
            self._dialog_tap(turn, button, params)
        else:
            self._command_tap(turn, button, params)

    def _command_tap(self, turn: Turn, button: Button, params: dict) -> None:
        command = self.buttons.get(button.command)  # type: ignore[attr-defined]
        if command is None:
            self._expired(turn)
        elif turn.user.role not in command.roles:
            log.warning("user %s (%s) tapped %s: refused", turn.user.id, turn.user.role, command)
            turn.say(text(turn.t.gettext(NOT_YOURS), quick_replies=menu_buttons(turn.t)))
        else:
            command.handle(turn, button, params)

    def _dialog_tap(self, turn: Turn, button: DialogEntry | DialogTap, params: dict) -> None:
        dialog = self.dialogs.get(button.dialog)
        if dialog is None or turn.user.role not in dialog.roles:
            self._expired(turn)
            return
        if isinstance(button, DialogEntry):  # rich menu, help: start afresh
            opening = {"opening": button.opening} if button.opening else None
            self.start_dialog(turn, dialog, opening)
            return
        place = turn.place()
        current = place is not None and (place.dialog, place.session, place.step) == (
            button.dialog,
            button.session,
            button.step,
        )
        if not current:  # a button from an older question or session: never act on it
            self._expired(turn, place)
            return
        ctx = turn.context(place.data)
        given = Answer(value=button.value, params=dict(params or {}))
        self._apply(turn, engine.answer(dialog, place, ctx, given), ctx)

    def _expired(self, turn: Turn, place: Place | None = None) -> None:
        """Say a button has expired; someone in a dialog gets its question again, buttons
        and all, so nothing they answered is lost."""
        place = place or turn.place()
        if place is not None and place.dialog in self.dialogs:
            turn.say(self._reask(turn, place, turn.t.gettext(EXPIRED)))
        else:
            turn.say(text(turn.t.gettext(EXPIRED_NO_DIALOG), quick_replies=menu_buttons(turn.t)))
