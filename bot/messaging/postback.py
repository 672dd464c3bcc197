"""Button data: one small typed class per kind of button, packed into LINE's postback data and
unpacked and checked here, in one place (in the spirit of aiogram's ``CallbackData``).

The data is a short query string (LINE allows 300 characters): ``cmd=claim&case=12&v=3`` for a
command, ``dlg=guide&st=area&sid=ab12cd34&v=kita`` for an answer to a dialog's question,
``dlg=guide&st=start`` for a button that starts one. ``unpack`` trusts nothing: an unknown
command, a missing or malformed field gives None, and the router answers "that button has
expired". What a button names (a case, a referral) is still checked against who tapped it by
the handler, and a tapped value against what was offered; this room only guarantees the shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode

DATA_MAX = 300  # LINE's limit on a postback's data
_WORD = re.compile(r"[\w.\-:]{1,80}")  # codes, entry keys, session ids (any script's letters)


class Command(StrEnum):
    """Every command a button can carry: the one registry of their names."""

    MORE = "more"  # a knowledge card's "more"
    SALONS_WEEK = "salons_week"
    TODAY = "today"  # a specialist's follow-ups due today
    UNCLAIMED = "unclaimed"
    MY_NOTES = "my_notes"  # a member's notes and how they are going
    CASE = "case"  # open a case's card
    CASE_NOTE = "case_note"  # read the note (audited)
    CLAIM = "claim"
    ACT = "act"
    FOLLOW_UP = "follow_up"
    REFER = "refer"
    HANDOVER = "handover"
    CLOSE = "close"
    HISTORY = "history"  # a case's whole history, a page at a time (audited)
    MEMO = "memo"
    REF_ENTER = "ref_enter"  # a specialist enters a provider's answer given off the bot
    REPLY = "reply"  # write to the family of a request or alert, through the bot
    THREAD = "thread"  # read the conversation with the family (audited)
    END_RELAY = "end_relay"  # either side ends that conversation
    REF_ANSWER = "ref_answer"  # a provider answers a referral
    AVAIL_ASK = "avail_ask"  # a specialist asks a provider how many places it has
    OUTREACH = "outreach"  # a parent: book an outreach consultation (出張相談)
    MY_BOOKINGS = "my_bookings"  # a parent's bookings, to cancel one
    CANCEL_BOOKING = "cancel_booking"  # the reminder's cancel button: a booking's id
    MY_DATA = "my_data"  # what the city keeps about a parent (わたしのデータ)
    PRIVACY = "privacy"  # the privacy notice


# ---------------------------------------------------------------- field codecs


def _word(raw: str) -> str:
    if not _WORD.fullmatch(raw):
        raise ValueError("not a word")
    return raw


def _id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 9:
        raise ValueError("not an id")
    return int(raw)


def _id_or_none(raw: str) -> int | None:
    # A case the data does not name properly is refused like one out of scope (and audited),
    # so a malformed case id is not a malformed button.
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def wire(key: str, parse: Callable[[str], Any] = _word, default: Any = MISSING) -> Any:
    """A field of button data: its key in the query string and how its value is read."""
    return field(default=default, metadata={"key": key, "parse": parse})


class Button:
    """The base of every kind of button: pack to data, unpack from it."""

    commands: ClassVar[frozenset[str]] = frozenset()

    def pack(self) -> str:
        pairs = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is not None:
                pairs[f.metadata["key"]] = str(value)
        data = urlencode(pairs)
        if len(data) > DATA_MAX:
            raise ValueError(f"postback data longer than {DATA_MAX} characters")
        return data

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> Button | None:
        values = {}
        for f in fields(cls):  # type: ignore[arg-type]
            raw = pairs.get(f.metadata["key"])
            if raw is None:
                if f.default is MISSING:
                    return None
                continue
            try:
                values[f.name] = f.metadata["parse"](raw)
            except ValueError:
                return None
        button = cls(**values)
        return button if button.valid() else None

    def valid(self) -> bool:
        command = getattr(self, "command", None)
        return command is None or command in self.commands


_BY_COMMAND: dict[str, type[Button]] = {}


def carries(*commands: Command):
    """Register a button class for the commands it carries (each command has one class)."""

    def register(cls: type[Button]) -> type[Button]:
        cls.commands = frozenset(commands)
        for command in commands:
            if command in _BY_COMMAND:
                raise ValueError(f"command {command} already has a button class")
            _BY_COMMAND[command] = cls
        return cls

    return register


# ---------------------------------------------------------------- the kinds of button


@carries(
    Command.TODAY,
    Command.UNCLAIMED,
    Command.MY_NOTES,
    Command.SALONS_WEEK,
    Command.OUTREACH,
    Command.MY_BOOKINGS,
    Command.MY_DATA,
    Command.PRIVACY,
)
@dataclass(frozen=True)
class MenuTap(Button):
    """A command with nothing more to say (rich menus, help)."""

    command: Command = wire("cmd", Command)


@carries(Command.MORE)
@dataclass(frozen=True)
class EntryTap(Button):
    """'More' on a knowledge card: the entry's key."""

    key: str = wire("id")
    command: Command = wire("cmd", Command, Command.MORE)


@carries(
    Command.CASE,
    Command.CASE_NOTE,
    Command.CLAIM,
    Command.ACT,
    Command.FOLLOW_UP,
    Command.REFER,
    Command.HANDOVER,
    Command.CLOSE,
    Command.HISTORY,
    Command.MEMO,
    Command.REF_ENTER,
    Command.REPLY,
    Command.THREAD,
    Command.END_RELAY,
)
@dataclass(frozen=True)
class CaseTap(Button):
    """A button about a case. ``version`` is the case's version when the button was made: a
    change asked by an older button is refused (the case has moved on since). ``choice`` is
    what the button is about within the case: a referral's id, a page of the history."""

    command: Command = wire("cmd", Command)
    case: int | None = wire("case", _id_or_none, None)
    version: int | None = wire("v", _id, None)
    choice: str | None = wire("c", _word, None)


@carries(Command.REF_ANSWER)
@dataclass(frozen=True)
class ReferralAnswerTap(Button):
    """A provider's answer to a referral request (which answers exist is the handler's word)."""

    referral: int | None = wire("ref", _id_or_none)
    answer: str = wire("a")
    command: Command = wire("cmd", Command, Command.REF_ANSWER)


@carries(Command.AVAIL_ASK)
@dataclass(frozen=True)
class OrgTap(Button):
    """An organisation from a list shown a moment ago: its place in the list and a digest of
    its name, so a list that changed in between is noticed."""

    index: int = wire("i", _id)
    digest: str = wire("h")
    command: Command = wire("cmd", Command)


@carries(Command.CANCEL_BOOKING)
@dataclass(frozen=True)
class BookingTap(Button):
    """A button about one of a parent's bookings (whose it is, the handler checks)."""

    command: Command = wire("cmd", Command)
    booking: int | None = wire("b", _id_or_none, None)


START = "start"  # the step of a button that starts its dialog afresh


@dataclass(frozen=True)
class DialogTap(Button):
    """An answer to a dialog's question: which dialog, step and session asked, and the value
    tapped. A tap whose session or step is not the user's current one is refused as stale."""

    dialog: str = wire("dlg")
    step: str = wire("st")
    session: str = wire("sid")
    value: str = wire("v")

    def valid(self) -> bool:
        return self.step != START


@dataclass(frozen=True)
class DialogEntry(Button):
    """A button that starts a dialog afresh (rich menu, help, quick replies)."""

    dialog: str = wire("dlg")
    step: str = wire("st", default=START)
    # What the dialog starts with, as if typed after its starting word ("change" …).
    opening: str | None = wire("o", default=None)

    def valid(self) -> bool:
        return self.step == START


def unpack(data: str) -> Button | None:
    """The button this data came from, or None when it is not one of ours (or was altered)."""
    if not data or len(data) > DATA_MAX:
        return None
    try:
        pairs = dict(parse_qsl(data, strict_parsing=True))
    except ValueError:
        return None
    if "cmd" in pairs:
        kind = _BY_COMMAND.get(pairs["cmd"])
    elif "dlg" in pairs:
        kind = DialogEntry if pairs.get("st") == START else DialogTap
    else:
        kind = None
    return kind.from_pairs(pairs) if kind else None
