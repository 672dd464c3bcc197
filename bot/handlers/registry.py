"""Where features plug into routing: text commands and button commands, by role.

A text command looks at what was typed and returns True when it handled it (an invite code,
「一覧」, 「#K-0042」 …); it runs after the danger check and やめる/ヘルプ, before the current
dialog, so it works from anywhere. A button command answers postbacks whose data has ``cmd=NAME``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.handlers.turn import Turn

ANYONE = frozenset({"parent", "member", "specialist", "admin"})


@dataclass(frozen=True)
class TextCommand:
    name: str
    handle: Callable[[Turn, str], bool]
    roles: frozenset[str] = ANYONE


@dataclass(frozen=True)
class ButtonCommand:
    name: str
    handle: Callable[[Turn, dict[str, str], dict], None]
    roles: frozenset[str] = ANYONE


TEXT_COMMANDS: list[TextCommand] = []
BUTTON_COMMANDS: dict[str, ButtonCommand] = {}


def text_command(name: str, roles: frozenset[str] = ANYONE):
    def register(fn):
        TEXT_COMMANDS.append(TextCommand(name, fn, roles))
        return fn

    return register


def button_command(name: str, roles: frozenset[str] = ANYONE):
    def register(fn):
        BUTTON_COMMANDS[name] = ButtonCommand(name, fn, roles)
        return fn

    return register
