"""Conversations, one module each; every dialog the bot knows is listed here."""

from bot.dialogs.case_referral import case_referral
from bot.dialogs.concern_note import concern_note
from bot.dialogs.consult import consult
from bot.dialogs.engine import Dialog
from bot.dialogs.guide import guide
from bot.dialogs.language import language
from bot.dialogs.salons import salons

DIALOGS: dict[str, Dialog] = {
    d.name: d for d in (language, guide, salons, consult, concern_note, case_referral)
}
