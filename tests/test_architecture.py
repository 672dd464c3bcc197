"""The shape of the code, read from the source with ast so it stays true: no import circles,
each layer imports only what docs/architecture.md says it may, no file too long to live in,
and the composed chat router answers every button the bot hands out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for path in BOT.rglob("*.py"):
        name = ".".join(path.relative_to(BOT.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def imports_of(name: str) -> set[str]:
    """The bot modules a module imports, anywhere in it (function-level imports count too)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def test_no_circle_of_imports():
    def circle_from(start: str) -> list[str] | None:
        stack, seen = [(start, [start])], set()
        while stack:
            here, path = stack.pop()
            for there in GRAPH[here]:
                if there == start:
                    return path + [start]
                if there not in seen:
                    seen.add(there)
                    stack.append((there, path + [there]))
        return None

    circles = [" -> ".join(c) for name in sorted(GRAPH) if (c := circle_from(name))]
    assert circles == []


# What each layer may import (docs/architecture.md). A module's layer is its longest prefix here.
WORDS = {
    "bot.i18n",
    "bot.typed",
    "bot.vocabulary",
    "bot.ages",
    "bot.intents",
    "bot.calendar",
    "bot.city",
}
LAYERS = {
    **{m: "words" for m in WORDS},
    "bot.sudachi": "words",
    "bot.storage": "storage",
    "bot.config": "config",
    "bot.messaging": "messaging",
    "bot.knowledge": "domain",
    "bot.safety": "domain",
    "bot.cases": "domain",
    "bot.consultations": "domain",
    "bot.scheduler": "domain",
    "bot.reports": "domain",
    "bot.network": "domain",
    "bot.admin.signin": "domain",  # the links; the web pages themselves are top
    "bot.admin.models": "domain",
    "bot.notices": "domain",
    "bot.outreach": "domain",
    "bot.privacy": "domain",
    "bot.dialogs": "dialogs",
    "bot.handlers": "handlers",
}
MAY_IMPORT = {
    "words": {"words"},
    "storage": {"storage"},
    "config": {"words", "storage"},
    "messaging": {"words", "storage", "config", "messaging"},
    "domain": {"words", "storage", "config", "messaging", "domain"},
    "handlers": {"words", "storage", "config", "messaging", "domain", "dialogs", "handlers"},
}
# Dialogs are pure: the engine, i18n, the message builders and button data, the program's words.
DIALOGS_MAY_IMPORT = WORDS | {"bot.messaging.builders", "bot.messaging.postback"}
MIGRATIONS = "bot.storage.migrations"


def layer_of(name: str) -> str:
    best = max((p for p in LAYERS if name == p or name.startswith(p + ".")), key=len, default="")
    return LAYERS.get(best, "top")  # the app, web, plumbing and CLI may import anything


def test_dialogs_import_only_the_engine_words_and_builders():
    wrong = {
        (name, target)
        for name in MODULES
        if layer_of(name) == "dialogs"
        for target in GRAPH[name]
        if layer_of(target) != "dialogs" and target not in DIALOGS_MAY_IMPORT
    }
    assert wrong == set()


def test_each_layer_imports_only_those_below_it():
    wrong = {
        (name, target)
        for name in MODULES
        if layer_of(name) in MAY_IMPORT and not name.startswith(MIGRATIONS)
        for target in GRAPH[name]
        if layer_of(target) not in MAY_IMPORT[layer_of(name)]
    }
    assert wrong == set()


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("bot.dialogs", "bot.handlers"),
        ("bot.dialogs", "bot.storage"),
        ("bot.messaging", "bot.dialogs"),
        ("bot.messaging", "bot.handlers"),
        ("bot.storage", "bot.dialogs"),
        ("bot.storage", "bot.handlers"),
    ],
)
def test_what_the_issue_names_stays_apart(lower, upper):
    found = {
        (name, target)
        for name, targets in GRAPH.items()
        if name.startswith(lower)
        for target in targets
        if target.startswith(upper)
    }
    assert found == set()


def test_storage_knows_no_feature_but_alembic_collects_them():
    outside = {
        (name, target)
        for name in MODULES
        if name.startswith("bot.storage") and not name.startswith(MIGRATIONS)
        for target in GRAPH[name]
        if not target.startswith("bot.storage")
    }
    assert outside == set()
    assert "bot.models" in GRAPH["bot.storage.migrations.env"]


def test_no_file_is_too_long_to_live_in():
    long = {
        name: n
        for name, path in MODULES.items()
        if not name.startswith(MIGRATIONS)
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_button_the_bot_hands_out_reaches_a_handler():
    """Rich menus and entry buttons are made where the dialogs may not be imported (by name):
    the composed router must know every command and dialog they name."""
    from bot.app import chat_router
    from bot.messaging.postback import Button, Command, DialogEntry, unpack
    from bot.messaging.richmenu import MENUS

    chat = chat_router()
    assert set(Command) == set(chat.buttons)
    for menu in MENUS.values():
        for action in menu.actions:
            if action["type"] != "postback":
                continue
            tapped = unpack(action["data"])
            assert isinstance(tapped, Button), action
            if isinstance(tapped, DialogEntry):
                assert tapped.dialog in chat.dialogs, action
            else:
                assert tapped.command in chat.buttons, action


def test_a_command_handled_twice_is_found_when_the_app_is_built():
    from bot.handlers.router import Router
    from bot.messaging.postback import Command

    first, second = Router("first"), Router("second")
    first.button(Command.TODAY)(lambda turn, tapped, params: None)
    second.button(Command.TODAY)(lambda turn, tapped, params: None)
    with pytest.raises(ValueError, match="handled twice"):
        Router("chat").include(first, second)
