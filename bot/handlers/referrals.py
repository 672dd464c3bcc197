"""Referrals, both ends: a specialist refers a case to a provider organisation; the provider's
members answer (can accept / started using / cannot, with a reason) and the specialist hears.

The list of organisations may change between showing it and a tap, so each button carries the
organisation's place in the list and a digest of its name; a provider's answer is accepted only
from a member of the organisation asked, and only as the referral's next state.
"""

from __future__ import annotations

import hashlib

from bot.cases import access, queries, workflow
from bot.dialogs.case_referral import case_referral
from bot.handlers.casework import load_case, refused, say
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.intents import DeclineReferral
from bot.messaging.builders import postback
from bot.messaging.postback import CaseTap, Command, ReferralAnswerTap
from bot.vocabulary import CASE_WORKERS, MEMBERS

router = Router("referrals", dialogs=(case_referral,))

QUICK = 13  # LINE shows at most 13 quick-reply buttons
SENT = _("Thank you. Your answer was sent to the specialist.")
NOT_OPEN = _("That request is no longer open: the case was closed or already answered.")


def _digest(org: str) -> str:
    return hashlib.sha256(org.encode()).hexdigest()[:8]


def _chosen(orgs: list[str], choice: str | None) -> str | None:
    """The organisation a button names by "index.digest", if it is still the same one."""
    index, _sep, digest = (choice or "").partition(".")
    if not index.isdigit() or int(index) >= len(orgs):
        return None
    org = orgs[int(index)]
    return org if digest == _digest(org) else None


@router.button(Command.REFER, roles=CASE_WORKERS)
def refer(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    t = turn.t
    orgs = queries.provider_orgs(turn.session)
    if tapped.choice is None:
        if not orgs:
            say(turn, t.gettext("No provider organisation has registered members yet."))
            return
        quick = [
            postback(
                org,
                CaseTap(Command.REFER, case.id, case.version, f"{i}.{_digest(org)}").pack(),
                org,
            )
            for i, org in enumerate(orgs[:QUICK])
        ]
        say(turn, t.gettext("Refer {ref} to which organisation?", ref=case.reference), quick)
        return
    org = _chosen(orgs, tapped.choice)
    if org is None:
        say(turn, t.gettext("That button has expired. Please start again from the menu."))
        return
    workflow.refer(turn.session, case, turn.user, org, turn.now, turn.city)
    said = t.gettext(
        "Asked {org} about {ref}. I will tell you their answer.", org=org, ref=case.reference
    )
    say(turn, said)


@router.button(Command.REF_ANSWER, roles=MEMBERS)
def referral_answer(turn: Turn, tapped: ReferralAnswerTap, params: dict) -> None:
    referral = access.referral_for(turn.session, turn.user, tapped.referral, turn.now)
    if referral is None or tapped.answer not in workflow.ANSWERS:
        refused(turn)
        return
    if not workflow.may_answer(turn.session, referral, tapped.answer):
        say(turn, turn.t.gettext(NOT_OPEN))
        return
    if tapped.answer == "declined":  # ask why first
        turn.start(case_referral, referral=referral.id)
        return
    workflow.answer_referral(turn.session, referral, turn.user, tapped.answer, turn.now, turn.city)
    say(turn, turn.t.gettext(SENT))


@router.intent(DeclineReferral)
def referral_declined(turn: Turn, declined: DeclineReferral) -> None:
    """The reason dialog's end: checked again (time has passed), recorded, sent back."""
    referral = access.referral_for(turn.session, turn.user, declined.referral, turn.now)
    if referral is None:
        refused(turn)
        return
    done = workflow.answer_referral(
        turn.session,
        referral,
        turn.user,
        "declined",
        turn.now,
        turn.city,
        reason=declined.reason,
    )
    say(turn, turn.t.gettext(SENT if done else NOT_OPEN))
