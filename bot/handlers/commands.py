"""Words that work anywhere, checked before any dialog: やめる (stop) and ヘルプ (help)."""

from __future__ import annotations

from bot.i18n import Translator, _
from bot.messaging.builders import Message, menu_tap, message_action, text
from bot.messaging.postback import Command
from bot.typed import fold
from bot.vocabulary import Role

STOP_WORDS = {
    "やめる",
    "やめて",
    "やめます",
    "キャンセル",
    "きゃんせる",
    "中止",
    "cancel",
    "stop",
    "quit",
    # the other languages' words (the help tells parents to type them)
    "parar",
    "cancelar",
    "dừng",
    "dung lai",
    "hủy",
    "停止",
    "取消",
}
HELP_WORDS = {
    "ヘルプ",
    "へるぷ",
    "help",
    "使い方",
    "つかいかた",
    "?",
    "？",
    "ajuda",
    "trợ giúp",
    "tro giup",
    "帮助",
}


def is_stop(typed: str) -> bool:
    return fold(typed) in STOP_WORDS


def is_help(typed: str) -> bool:
    return fold(typed) in HELP_WORDS


HELP_TEXT = _(
    "Here is what I can do:\n"
    "・Ask about childcare services, salons and events in your own words\n"
    '・Type "language" to change the language\n'
    '・Type "stop" at any time to leave a question\n'
    "In an emergency call 119; if a child may be in danger, call 189."
)


PARENT_HELP = _(
    "・「出張相談」 books an outreach consultation with a specialist near you; 「予約」 shows "
    "your bookings\n"
    "・「わたしのデータ」 shows what the city keeps about you, and deletes it if you wish"
)
MEMBER_HELP = _(
    "For network members:\n"
    "・Send a message starting with 「気になる」 to tell the specialists about a family\n"
    "・「わたしの報告」 in the menu shows how your notes are going"
)
SPECIALIST_HELP = _(
    "For specialists:\n"
    "・「一覧」 lists your open cases: members' notes (K-), parents' requests (S-) and danger "
    "alerts (A-); 「#K-0042」 opens one\n"
    "・「K-0042 called the mother」 records a memo on K-0042\n"
    "・「返信する」 on a request or alert writes to the family through the bot\n"
    "・The menu shows today's follow-ups and unclaimed cases"
)
ROLE_HELP = {
    Role.MEMBER: MEMBER_HELP,
    Role.SPECIALIST: SPECIALIST_HELP,
    Role.ADMIN: SPECIALIST_HELP,
}


def help_message(t: Translator, role: str = Role.PARENT) -> Message:
    body = t.gettext(HELP_TEXT)
    if role in ROLE_HELP:
        body = t.gettext(ROLE_HELP[role]) + "\n\n" + body
    if role != Role.PARENT:
        return text(body, quick_replies=menu_buttons(t))
    head, rest = body.split("\n", 1)
    body = "\n".join([head, t.gettext(PARENT_HELP), rest])
    return text(body, quick_replies=parent_help_buttons(t) + menu_buttons(t))


def parent_help_buttons(t: Translator) -> list:
    return [
        menu_tap(t.gettext(label), command)
        for label, command in (
            (_("Outreach sessions"), Command.OUTREACH),
            (_("My data"), Command.MY_DATA),
            (_("Privacy notice"), Command.PRIVACY),
        )
    ]


def menu_buttons(t: Translator) -> list:
    return [
        message_action(t.gettext("Language"), t.gettext("language")),
        message_action(t.gettext("Help"), t.gettext("help")),
    ]
