"""An admin's way to the city's web page: 「管理画面」 in the chat answers with a one-time sign-in
link (``bot.admin.signin``: valid a few minutes, single use, bound to that admin). Nobody else
gets one; the link is private words, so it goes only as a reply."""

from __future__ import annotations

from bot.admin.signin import NotAnAdmin, issue_sign_in_link
from bot.handlers.casecard import refused
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.messaging.builders import message_action, text, uri_action
from bot.typed import fold
from bot.vocabulary import CASE_WORKERS

router = Router("admins")

WORDS = ("管理画面", "かんりがめん", "admin page")
LINK = _("Your sign-in link for the admin page (valid for five minutes, once):")


@router.text("admin_page", roles=CASE_WORKERS)
def admin_page(turn: Turn, typed: str) -> bool:
    if fold(typed) not in WORDS:
        return False
    t = turn.t
    try:
        link = issue_sign_in_link(
            turn.session, turn.user, turn.now, turn.services.settings.public_url
        )
    except NotAnAdmin:
        refused(turn)
        return True
    again = message_action(t.gettext("New link"), "管理画面")
    open_page = uri_action(t.gettext("Open the admin page"), link)
    turn.say_privately(
        text(f"{t.gettext(LINK)}\n{link}", quick_replies=[open_page]),
        instead=[text(t.gettext("That link could not be sent. Ask for a new one."), [again])],
    )
    return True
