"""The dialog engine: a conversation declares its steps; the engine keeps its place per user.

A dialog is a named set of steps. Each step asks (a message with buttons) and answers (a pure
function from the context and the user's answer to an Outcome). The engine persists where each
user is, re-asks with the same buttons when an answer does not fit, expires abandoned dialogs,
and refuses buttons from an older session ("that button has expired") instead of acting on them.

    start ──ask(step)──▶ waiting ──answer ok──▶ goto(next) / finish
                           │  └─answer bad──▶ re-ask (same buttons); twice ─▶ leave, new request
                           └─やめる──▶ ended     ヘルプ──▶ help + re-ask
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.i18n import Translator
from bot.messaging.builders import Action, Message, postback, text

# ---------------------------------------------------------------- postback data


def encode_postback(**fields_: str) -> str:
    """Postback data is a short query string: dlg, st (step), sid (session), v (value), …"""
    return urlencode({k: v for k, v in fields_.items() if v is not None})


def decode_postback(data: str) -> dict[str, str]:
    try:
        return dict(parse_qsl(data, strict_parsing=True))
    except ValueError:
        return {}


# ---------------------------------------------------------------- what a step sees and returns


@dataclass
class Answer:
    """What the user did: typed text, or tapped a button (its value and picker params)."""

    text: str | None = None
    value: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def tapped(self) -> bool:
        return self.value is not None


@dataclass
class Context:
    """Everything a step may use; steps change ``data`` and ``profile``, never the database."""

    t: Translator
    now: datetime
    data: dict[str, Any]
    profile: dict[str, Any]  # the user's remembered settings (language, child's stage, area …)
    user_key: str
    services: Any = None  # read-only lookups the handlers provide (knowledge base, city file)

    def _(self, message: str, **params) -> str:
        return self.t.gettext(message, **params)


@dataclass
class Outcome:
    say: list[Message] = field(default_factory=list)
    next_step: str | None = None  # None with finished=False means: re-ask the current step
    finished: bool = False
    invalid: bool = False
    hint: str | None = None
    commit: bool = False  # finished with something to record: the dialog's on_commit runs


def goto(step: str, *say: Message) -> Outcome:
    return Outcome(say=list(say), next_step=step)


def finish(*say: Message, commit: bool = False) -> Outcome:
    """End the dialog; with ``commit`` its ``on_commit`` records what was gathered."""
    return Outcome(say=list(say), finished=True, commit=commit)


def invalid(hint: str | None = None) -> Outcome:
    return Outcome(invalid=True, hint=hint)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # a message id; translated when asked


@dataclass
class Step:
    """One question. ``choices`` become quick-reply buttons; ``on_answer`` decides what next."""

    name: str
    prompt: Callable[[Context], str]
    on_answer: Callable[[Context, Answer], Outcome]
    choices: Callable[[Context], list[Choice]] | list[Choice] = field(default_factory=list)
    accepts_text: bool = False  # free text is a valid answer (e.g. a note's body)
    extra_actions: Callable[[Context, str, str], list[Action]] | None = None  # date pickers …

    def choice_list(self, ctx: Context) -> list[Choice]:
        return self.choices(ctx) if callable(self.choices) else list(self.choices)

    def match_text(self, ctx: Context, typed: str) -> str | None:
        """A typed answer that equals a button's label counts as tapping it."""
        folded = typed.strip().casefold()
        for choice in self.choice_list(ctx):
            if folded in (ctx._(choice.label).casefold(), choice.value.casefold()):
                return choice.value
        return None


@dataclass
class Dialog:
    name: str
    steps: list[Step]
    # Text that starts this dialog from anywhere (compared after width/case folding) …
    triggers: tuple[str, ...] = ()
    # … and words that start it with the rest of the message as its opening (「気になる…」).
    prefixes: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset({"parent", "member", "specialist", "admin"})
    # Steps stay pure; what a finished dialog must write (a request, a note) is done here,
    # by the handler, in the same transaction: (turn, ctx) -> messages to add.
    on_commit: Callable[[Any, Context], list[Message]] | None = None
    on_start: Callable[[Context], Outcome] | None = None

    def __post_init__(self) -> None:
        self.by_name = {s.name: s for s in self.steps}

    @property
    def first(self) -> str:
        return self.steps[0].name


# ---------------------------------------------------------------- asking


def ask(dialog: Dialog, step: Step, ctx: Context, session: str, hint: str | None = None) -> Message:
    actions: list[Action] = []
    for choice in step.choice_list(ctx):
        label = ctx._(choice.label)
        data = encode_postback(dlg=dialog.name, st=step.name, sid=session, v=choice.value)
        actions.append(postback(label, data, display_text=label))
    if step.extra_actions:
        actions.extend(step.extra_actions(ctx, dialog.name, session))
    body = step.prompt(ctx)
    if hint:
        body = f"{hint}\n{body}"
    return text(body, quick_replies=actions)


def new_session() -> str:
    return secrets.token_hex(4)


# ---------------------------------------------------------------- the engine


@dataclass
class Place:
    """Where a user is: the persisted part of a conversation."""

    dialog: str
    step: str
    session: str
    data: dict[str, Any]
    misses: int = 0


@dataclass
class Result:
    say: list[Message]
    place: Place | None  # None: the user is in no dialog
    handled: bool = True  # False: the input did not fit; the caller treats it as a new request
    commit: bool = False


def start(dialog: Dialog, ctx: Context) -> Result:
    session = new_session()
    if dialog.on_start:
        outcome = dialog.on_start(ctx)
        if outcome.finished:
            return Result(outcome.say, None, commit=outcome.commit)
        step_name = outcome.next_step or dialog.first
        say = outcome.say
    else:
        step_name, say = dialog.first, []
    place = Place(dialog.name, step_name, session, ctx.data)
    return Result(say + [ask(dialog, dialog.by_name[step_name], ctx, session)], place)


def reask(dialog: Dialog, place: Place, ctx: Context, hint: str | None = None) -> Message:
    return ask(dialog, dialog.by_name[place.step], ctx, place.session, hint)


def answer(dialog: Dialog, place: Place, ctx: Context, given: Answer) -> Result:
    """Apply one answer to the current step; the caller has checked session and step."""
    step = dialog.by_name[place.step]
    if given.value is None and given.text is not None:
        matched = step.match_text(ctx, given.text)
        if matched is not None:
            given = Answer(text=given.text, value=matched)
        elif not step.accepts_text:
            return _miss(dialog, place, ctx, given, None)
    outcome = step.on_answer(ctx, given)
    if outcome.invalid:
        return _miss(dialog, place, ctx, given, outcome.hint)
    if outcome.finished:
        return Result(outcome.say, None, commit=outcome.commit)
    next_step = outcome.next_step or place.step
    moved = Place(dialog.name, next_step, place.session, ctx.data, misses=0)
    return Result(outcome.say + [ask(dialog, dialog.by_name[next_step], ctx, place.session)], moved)


def _miss(dialog: Dialog, place: Place, ctx: Context, given: Answer, hint: str | None) -> Result:
    # A wrong tap is asked again. Typed text that fits nowhere twice is a new request:
    # a dialog never traps anyone.
    if given.value is None and place.misses >= 1:
        return Result([], None, handled=False)
    hint = hint or ctx._("Please choose one of the buttons below.")
    again = Place(place.dialog, place.step, place.session, place.data, place.misses + 1)
    return Result([reask(dialog, place, ctx, hint)], again)
