"""Registration by invite code: sending a code as a message makes the sender a member,
specialist or admin (``bot.cases.invites``). Works from anywhere, before any dialog."""

from __future__ import annotations

from bot.cases.invites import code_body, redeem
from bot.handlers.casecard import say
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.vocabulary import Role

router = Router("registration")

ROLE_NAMES = {
    Role.MEMBER: _("a network member"),
    Role.SPECIALIST: _("a specialist"),
    Role.ADMIN: _("an administrator"),
}


@router.text("invite_code")
def invite_code(turn: Turn, typed: str) -> bool:
    body = code_body(typed)
    if body is None:
        return False
    t = turn.t
    result = redeem(turn.session, turn.user, body, turn.now)
    if result.outcome == "limited":
        say(turn, t.gettext("Too many tries with codes. Please wait an hour and try again."))
        return True
    if result.outcome == "wrong":
        say(
            turn,
            t.gettext(
                "Sorry, that code is not valid: it may be mistyped, used or expired. "
                "Please check it with the city's children's division."
            ),
        )
        return True
    role = result.staff.role
    lines = [
        t.gettext("Thank you. You are now registered as {role}.", role=t.gettext(ROLE_NAMES[role]))
    ]
    if role == Role.MEMBER:
        lines.append(
            t.gettext(
                "To tell the specialists about a family of concern, send a message that "
                'starts with "気になる", or use the menu.'
            )
        )
    else:
        lines.append(t.gettext('New notes come to you here. "一覧" lists your open cases.'))
    say(turn, "\n".join(lines))
    return True
