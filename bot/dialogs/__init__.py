"""Conversations, one module each; every dialog the bot knows is listed here."""

from bot.dialogs.engine import Dialog
from bot.dialogs.language import language

DIALOGS: dict[str, Dialog] = {d.name: d for d in (language,)}
