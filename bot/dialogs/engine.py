"""The dialog engine: pure functions that move a person through a dialog's declared steps.

A dialog is a named set of steps, declared by a ``StrEnum`` of their names. Each step asks (a
prompt and its buttons) and takes an answer (a pure function from the Context and the Answer to
an Outcome). The engine decides what comes next — the next question; the same question again,
with its buttons, when an answer does not fit or a tapped value was never offered; or the end,
with what the dialog decided (an intent, ``bot.intents``) — and returns it as a Result.

It never touches the database, LINE or the clock (``now`` comes in the Context). The router
(``bot.handlers.router``) keeps each person's Place, refuses buttons from an older session or
step, forgets abandoned dialogs, and carries out the intent.

    start ──ask(step)──▶ waiting ──answer fits──▶ goto(next) / finish(intent)
                           │  └─does not fit──▶ ask again (same buttons); typed twice ─▶ leave
                           └─やめる──▶ ended     ヘルプ──▶ help + ask again   (the router's)
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.city import City
from bot.i18n import TOKYO, Translator
from bot.messaging.builders import Action, Message, postback, text
from bot.messaging.postback import DialogTap
from bot.typed import fold

# ---------------------------------------------------------------- what a step sees and returns


@dataclass
class Answer:
    """What the person did: typed text, or tapped a button (its value and picker params)."""

    text: str | None = None
    value: str | None = None
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    """Everything a step may use; steps change ``data`` and ``profile``, nothing else."""

    t: Translator
    now: datetime
    data: dict[str, Any]
    profile: dict[str, Any]  # the person's remembered settings (language, child's stage, area …)
    city: City
    # Whether words carry danger signs (the handler passes ``bot.safety``'s reading in, so a
    # dialog can act on it and stay free of it).
    danger: Callable[[str], bool] | None = None

    @property
    def today(self) -> date:
        return self.now.astimezone(TOKYO).date()

    def _(self, message: str, **params) -> str:
        return self.t.gettext(message, **params)


@dataclass
class Outcome:
    say: list[Message] = field(default_factory=list)
    next_step: StrEnum | None = None  # None and not finished: ask the current step again
    finished: bool = False
    invalid: bool = False
    hint: str | None = None
    intent: Any = None  # finished with a decision for the router to carry out


def goto(step: StrEnum, *say: Message) -> Outcome:
    return Outcome(say=list(say), next_step=step)


def finish(*say: Message, intent: Any = None) -> Outcome:
    """End the dialog; an ``intent`` says what the router should now do (file, search …)."""
    return Outcome(say=list(say), finished=True, intent=intent)


def invalid(hint: str | None = None) -> Outcome:
    return Outcome(invalid=True, hint=hint)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # a message id (translated when asked), or a proper noun from the city file


Pickers = Callable[[Context, Callable[[str], str]], list[Action]]


@dataclass
class Step:
    """One question. ``choices`` become quick-reply buttons; ``on_answer`` decides what next.

    ``pickers`` adds buttons such as a date picker, given the context and a function that packs
    a value into this step's button data; the values they may send are declared in ``picked``
    (a tapped value is accepted only if it was offered).
    """

    name: StrEnum
    prompt: Callable[[Context], str]
    on_answer: Callable[[Context, Answer], Outcome]
    choices: Callable[[Context], list[Choice]] | list[Choice] = field(default_factory=list)
    accepts_text: bool = False  # free text is a valid answer (e.g. a note's body)
    pickers: Pickers | None = None
    picked: tuple[str, ...] = ()
    # Reads what a typed answer means (「1さい」 → 1〜2歳, 「北のほう」 → 北地区): a button's value,
    # or None. Checked against the buttons offered, like a tap.
    reads: Callable[[Context, str], str | None] | None = None

    def choice_list(self, ctx: Context) -> list[Choice]:
        return self.choices(ctx) if callable(self.choices) else list(self.choices)

    def offered(self, ctx: Context) -> set[str]:
        return {c.value for c in self.choice_list(ctx)} | set(self.picked)

    def match_text(self, ctx: Context, typed: str) -> str | None:
        """A typed answer that equals a button's label (or its code) counts as tapping it; so
        does one the step reads as a button's value, or one that names a single button by a
        word of its label (「発達のこと」 → 「発達・成長のこと」) when the step takes no text."""
        folded = fold(typed)
        choices = self.choice_list(ctx)
        for choice in choices:
            if folded in (fold(ctx._(choice.label)), choice.value.casefold()):
                return choice.value
        if self.reads is not None:
            value = self.reads(ctx, typed)
            if value is not None and value in self.offered(ctx):
                return value
        if self.accepts_text:
            return None
        return _named(ctx, folded, choices)


def named_choice(ctx: Context, typed: str, choices: list[Choice]) -> str | None:
    """The one button of `choices` a typed answer names by a word of its label, else None (for
    a step that takes text and still reads a named button first)."""
    return _named(ctx, fold(typed), choices)


_ABOUT = re.compile(r"(?:のこと|について|のことです|です|がいい|でお願いします|で|かな)$")


def _named(ctx: Context, folded: str, choices: list[Choice]) -> str | None:
    """The one button a typed answer names by a word of at least two letters, else None."""
    said = _ABOUT.sub("", folded.strip(" 。！!？?"))
    if len(said) < 2:
        return None
    found = set()
    for choice in choices:
        label = fold(ctx._(choice.label))
        parts = [_ABOUT.sub("", p) for p in re.split(r"[・/、,（）() ]+", label)]
        if said in label or any(len(p) >= 2 and p in said for p in parts):
            found.add(choice.value)
    return found.pop() if len(found) == 1 else None


class DialogError(ValueError):
    """A dialog is declared wrongly (a step missing or undeclared): found at import, not by a
    user reaching it."""


@dataclass
class Dialog:
    name: str
    steps: type[StrEnum]  # the names of every step the dialog can go to
    asks: list[Step]
    # Text that starts this dialog from anywhere (compared after width/case folding) …
    triggers: tuple[str, ...] = ()
    # … and words that start it with the rest of the message as its opening (「気になる…」).
    prefixes: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset({"parent", "member", "specialist", "admin"})
    # Runs before the first question: may fill data, skip to a step, or finish at once.
    on_start: Callable[[Context], Outcome] | None = None
    # A parent's search dialogs: a typed question that fits no button is a new question at
    # once (a parent who asks again in their own words is not told to use the buttons).
    questions_leave: bool = False

    def __post_init__(self) -> None:
        self.by_name = {s.name: s for s in self.asks}
        declared, defined = set(self.steps), set(self.by_name)
        if declared != defined or len(self.asks) != len(defined):
            raise DialogError(
                f"dialog {self.name!r}: steps declared but not defined "
                f"{sorted(declared - defined)}, defined but not declared "
                f"{sorted(defined - declared)}, or defined twice"
            )

    @property
    def first(self) -> StrEnum:
        return self.asks[0].name

    def step(self, name: str) -> Step:
        try:
            return self.by_name[self.steps(name)]
        except ValueError:
            raise DialogError(f"dialog {self.name!r} has no step {name!r}") from None


# ---------------------------------------------------------------- asking


def ask(dialog: Dialog, step: Step, ctx: Context, session: str, hint: str | None = None) -> Message:
    def data(value: str) -> str:
        return DialogTap(dialog.name, step.name, session, value).pack()

    actions: list[Action] = []
    for choice in step.choice_list(ctx):
        label = ctx._(choice.label)
        actions.append(postback(label, data(choice.value), display_text=label))
    if step.pickers:
        actions.extend(step.pickers(ctx, data))
    body = step.prompt(ctx)
    if hint:
        body = f"{hint}\n{body}"
    return text(body, quick_replies=actions)


def new_session() -> str:
    return secrets.token_hex(4)


# ---------------------------------------------------------------- moving through a dialog


@dataclass
class Place:
    """Where a person is: the part of a conversation the router keeps between messages."""

    dialog: str
    step: str
    session: str
    data: dict[str, Any]
    misses: int = 0


@dataclass
class Result:
    say: list[Message]
    place: Place | None  # None: the person is in no dialog
    handled: bool = True  # False: the input did not fit; the caller treats it as a new request
    intent: Any = None


def start(dialog: Dialog, ctx: Context) -> Result:
    session = new_session()
    say: list[Message] = []
    step_name = dialog.first
    if dialog.on_start:
        outcome = dialog.on_start(ctx)
        if outcome.finished:
            return Result(outcome.say, None, intent=outcome.intent)
        step_name = outcome.next_step or dialog.first
        say = outcome.say
    step = dialog.step(step_name)
    return Result(
        [*say, ask(dialog, step, ctx, session)], Place(dialog.name, step.name, session, ctx.data)
    )


def reask(dialog: Dialog, place: Place, ctx: Context, hint: str | None = None) -> Message:
    return ask(dialog, dialog.step(place.step), ctx, place.session, hint)


def answer(dialog: Dialog, place: Place, ctx: Context, given: Answer) -> Result:
    """Apply one answer to the current step; the caller has checked the session and step."""
    step = dialog.step(place.step)
    if given.value is not None:
        if given.value not in step.offered(ctx):  # a value never offered: ask again
            return _miss(dialog, place, ctx, given, None)
    elif given.text is not None:
        matched = step.match_text(ctx, given.text)
        if matched is not None:
            given = Answer(text=given.text, value=matched)
        elif not step.accepts_text:
            return _miss(dialog, place, ctx, given, None)
    outcome = step.on_answer(ctx, given)
    if outcome.invalid:
        return _miss(dialog, place, ctx, given, outcome.hint)
    if outcome.finished:
        return Result(outcome.say, None, intent=outcome.intent)
    following = dialog.step(outcome.next_step or place.step)
    moved = Place(dialog.name, following.name, place.session, ctx.data, misses=0)
    return Result([*outcome.say, ask(dialog, following, ctx, place.session)], moved)


def _miss(dialog: Dialog, place: Place, ctx: Context, given: Answer, hint: str | None) -> Result:
    # A wrong tap is asked again. Typed text that fits nowhere twice is a new request:
    # a dialog never traps anyone; in a search dialog, so is a question the first time.
    if given.value is None and (
        place.misses >= 1 or (dialog.questions_leave and _a_question(given.text or ""))
    ):
        return Result([], None, handled=False)
    hint = hint or ctx._("Please choose one of the buttons below.")
    again = Place(place.dialog, place.step, place.session, place.data, place.misses + 1)
    return Result([reask(dialog, place, ctx, hint)], again)


# 「うーん」「なんでもいい」「どこでもいいです」 are answers to our question, asked again with its
# buttons; 「土日にあいてる支援センターある？」 is a question of its own.
QUESTION_LENGTH = 10


def _a_question(typed: str) -> bool:
    return len(re.sub(r"[\s\W_]", "", fold(typed))) >= QUESTION_LENGTH
