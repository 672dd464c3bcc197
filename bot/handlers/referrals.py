"""Referrals, both ends: a specialist refers a case to a provider — any organisation of the city
file, or one whose members are registered — and hears the answer; a provider's members answer
in the chat (can accept / started using / cannot, with a reason); for a provider with no members
the referral is made by phone, on paper or by email and the specialist enters its answer.

A provider's answer is accepted only from a member of the organisation asked, and only as the
referral's next state while the case is open.
"""

from __future__ import annotations

from bot.cases import access, availability, queries, workflow
from bot.cases.models import Referral
from bot.dialogs.case_answer import case_answer
from bot.dialogs.case_refer import case_refer
from bot.dialogs.case_referral import case_referral
from bot.handlers.casecard import case_buttons, load_case, refused, say
from bot.handlers.casework import case_for_intent
from bot.handlers.router import Router
from bot.handlers.turn import Turn
from bot.i18n import _
from bot.intents import DeclineReferral, RecordAnswer, Refer
from bot.messaging.postback import CaseTap, Command, ReferralAnswerTap
from bot.vocabulary import CASE_WORKERS, CHANNEL_LABELS, MEMBERS

router = Router("referrals", dialogs=(case_refer, case_referral, case_answer))

SENT = _("Thank you. Your answer was sent to the specialist.")
NOT_OPEN = _("That request is no longer open: the case was closed or already answered.")


def providers(turn: Turn) -> tuple[list[str], set[str]]:
    """Every organisation a case may be referred to (those with members first: they answer in
    the chat), and which of them have members."""
    with_members = queries.provider_orgs(turn.session)
    named = [o.get("name") for o in turn.city.organizations if o.get("name")]
    return with_members + [o for o in named if o not in with_members], set(with_members)


@router.button(Command.REFER, roles=CASE_WORKERS)
def refer(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    orgs, members = providers(turn)
    if not orgs:
        say(turn, turn.t.gettext("The city file names no provider organisation yet."))
        return
    known = availability.latest(turn.session, orgs)
    offered = []
    for org in orgs:  # the latest answer about places beside each provider
        places = availability.label(turn.t, known.get(org))
        offered.append([org, f"{org}（{places}）" if places else org])
    turn.start(
        case_refer, case=case.id, ref=case.reference, offered=offered, members=sorted(members)
    )


@router.intent(Refer)
def referred(turn: Turn, asked: Refer) -> None:
    case = case_for_intent(turn, asked.case, "refer")
    if case is None:
        return
    orgs, _members = providers(turn)
    t = turn.t
    if asked.org not in orgs or asked.channel not in ("line", *CHANNEL_LABELS):
        say(turn, t.gettext("That organisation is no longer in the list."))
        return
    made = workflow.refer(
        turn.session, case, turn.user, asked.org, turn.now, turn.city, asked.channel
    )
    if made is None:
        say(turn, t.gettext("{org} has nobody registered any more.", org=asked.org))
    elif asked.channel == "line":
        said = t.gettext(
            "Asked {org} about {ref}. I will tell you their answer.",
            org=asked.org,
            ref=case.reference,
        )
        say(turn, said)
    else:
        said = t.gettext(
            "Recorded: {ref} referred to {org} ({how}). Enter their answer on the case when "
            "it comes.",
            ref=case.reference,
            org=asked.org,
            how=t.gettext(CHANNEL_LABELS[asked.channel]),
        )
        say(turn, said, case_buttons(turn, case))


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


def _offline_referral(turn: Turn, case_id: int, referral_id: int | None) -> Referral | None:
    """A referral made off the bot, on a case the specialist may work."""
    referral = turn.session.get(Referral, referral_id) if referral_id else None
    if referral is None or referral.case_id != case_id or referral.channel == "line":
        return None
    return referral


@router.button(Command.REF_ENTER, roles=CASE_WORKERS)
def enter_answer(turn: Turn, tapped: CaseTap, params: dict) -> None:
    case = load_case(turn, tapped, change=True)
    if case is None:
        return
    choice = tapped.choice or ""
    referral = _offline_referral(turn, case.id, int(choice) if choice.isdigit() else None)
    if referral is None:
        refused(turn)
        return
    turn.start(case_answer, referral=referral.id, org=referral.org, ref=case.reference)


@router.intent(RecordAnswer)
def answer_entered(turn: Turn, entered: RecordAnswer) -> None:
    referral = turn.session.get(Referral, entered.referral)
    case = case_for_intent(turn, referral.case_id, "ref_enter") if referral else None
    if case is None or _offline_referral(turn, case.id, entered.referral) is None:
        return
    done = workflow.answer_referral(
        turn.session,
        referral,
        turn.user,
        entered.answer,
        turn.now,
        turn.city,
        reason=entered.reason,
        tell=False,
    )
    t = turn.t
    said = t.gettext("Recorded {org}'s answer on {ref}.", org=referral.org, ref=case.reference)
    say(turn, said if done else t.gettext(NOT_OPEN), case_buttons(turn, case))
