"""Providers' places (空き状況): 「空き状況」 shows each provider's latest answer and lets a
specialist ask again; a provider's members answer with a few taps (``dialogs.availability``)."""

from __future__ import annotations

import hashlib

from bot.cases import access, availability, queries
from bot.dialogs.availability import availability as availability_dialog
from bot.handlers.casecard import refused, say
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.intents import AnswerAvailability
from bot.messaging.builders import postback
from bot.messaging.postback import Command, OrgTap
from bot.typed import fold
from bot.vocabulary import AVAILABILITY_LABELS, CASE_WORKERS, STAGE_LABELS, Role

router = Router("availability", dialogs=(availability_dialog,))

WORDS = ("空き状況", "あきじょうきょう", "availability")
QUICK = 13


def digest(org: str) -> str:
    return hashlib.sha256(org.encode()).hexdigest()[:8]


@router.text("availability", roles=CASE_WORKERS)
def show(turn: Turn, typed: str) -> bool:
    if fold(typed) not in WORDS:
        return False
    t = turn.t
    orgs = queries.provider_orgs(turn.session)
    if not orgs:
        say(turn, t.gettext("No provider has registered members yet."))
        return True
    known = availability.latest(turn.session, orgs)
    lines = [t.gettext("Places at the providers (latest answers):")]
    for org in orgs:
        lines.append(
            f"・{org}: {availability.label(t, known.get(org)) or t.gettext('not asked yet')}"
        )
    quick = [
        postback(t.gettext("Ask {org}", org=org), OrgTap(i, digest(org), Command.AVAIL_ASK).pack())
        for i, org in enumerate(orgs[:QUICK])
    ]
    say(turn, "\n".join(lines), quick)
    return True


@router.button(Command.AVAIL_ASK, roles=CASE_WORKERS)
def ask(turn: Turn, tapped: OrgTap, params: dict) -> None:
    t = turn.t
    if access.staff_of(turn.session, turn.user) is None:
        refused(turn)
        return
    orgs = queries.provider_orgs(turn.session)
    org = orgs[tapped.index] if tapped.index < len(orgs) else None
    if org is None or digest(org) != tapped.digest:
        say(turn, t.gettext("That button has expired. Please start again from the menu."))
        return
    asked = availability.ask(turn.session, org)
    say(
        turn, t.gettext("Asked {org} ({n} members). Their answer will show here.", org=org, n=asked)
    )


@router.intent(AnswerAvailability)
def answered(turn: Turn, answer: AnswerAvailability) -> None:
    staff = access.staff_of(turn.session, turn.user)
    if staff is None or staff.role != Role.MEMBER or not staff.org:
        refused(turn)
        return
    if answer.status not in AVAILABILITY_LABELS or not set(answer.stages) <= set(STAGE_LABELS):
        return
    availability.record(
        turn.session, turn.user, staff.org, answer.status, answer.stages, answer.note, turn.now
    )
    say(turn, turn.t.gettext("Thank you. The specialists will see your answer."))
