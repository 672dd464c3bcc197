"""Network members', specialists' and admins' commands: invite codes, notes, cases, referrals.

Every command that names a case (``cmd=…&case=ID`` or 「#K-0042」) loads it through
``bot.cases.access.case_for``, which checks the speaker's scope on every tap and audits refusals.
Replies name a case by its reference, stage, area and urgency; the note's text is shown only by
「Read the note」, and each such view is written to the audit log.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from datetime import date

from babel.dates import format_date
from sqlalchemy import select

from bot.cases import access, labels, workflow
from bot.cases import messages as m
from bot.cases.invites import code_body, redeem
from bot.cases.models import AuditEntry, Case, CaseEvent, ConcernNote, Referral, Staff
from bot.cases.routing import carried_by
from bot.dialogs import DIALOGS, engine
from bot.handlers.registry import button_command, text_command
from bot.handlers.turn import Turn
from bot.i18n import TOKYO, _
from bot.messaging.builders import date_picker, message_action, postback, text

log = logging.getLogger(__name__)

STAFF = frozenset({"member", "specialist", "admin"})
CASE_WORKERS = frozenset({"specialist", "admin"})
MEMBERS = frozenset({"member"})

NOT_AVAILABLE = _("Sorry, that case is not available to you.")
ROLE_NAMES = {
    "member": _("a network member"),
    "specialist": _("a specialist"),
    "admin": _("an administrator"),
}


def _say(turn: Turn, body: str, quick: list | None = None) -> None:
    turn.say(text(body, quick_replies=quick))


def _ask_which(turn: Turn, case, cmd: str, field: str, options: dict, question: str) -> None:
    """Ask which code a case button means, one quick reply per labelled code."""
    t = turn.t
    quick = [
        postback(t.gettext(label), m.case_data(cmd, case, **{field: code}), t.gettext(label))
        for code, label in options.items()
    ]
    _say(turn, question, quick)


def _refused(turn: Turn) -> None:
    _say(turn, turn.t.gettext(NOT_AVAILABLE))


def _today(turn: Turn) -> date:
    return turn.now.astimezone(TOKYO).date()


def _day(turn: Turn, day: date) -> str:
    return format_date(day, "medium", locale=turn.t.language)


# ---------------------------------------------------------------- registration by invite code


@text_command("invite_code")
def invite_code(turn: Turn, typed: str) -> bool:
    body = code_body(typed)
    if body is None:
        return False
    t = turn.t
    result = redeem(turn.session, turn.user, body, turn.now)
    if result.outcome == "limited":
        _say(turn, t.gettext("Too many tries with codes. Please wait an hour and try again."))
    elif result.outcome == "wrong":
        _say(
            turn,
            t.gettext(
                "Sorry, that code is not valid: it may be mistyped, used or expired. "
                "Please check it with the city's children's division."
            ),
        )
    else:
        staff = result.staff
        lines = [
            t.gettext(
                "Thank you. You are now registered as {role}.",
                role=t.gettext(ROLE_NAMES[staff.role]),
            )
        ]
        if staff.role == "member":
            lines.append(
                t.gettext(
                    "To tell the specialists about a family of concern, send a message that "
                    'starts with "気になる", or use the menu.'
                )
            )
        else:
            lines.append(t.gettext('New notes come to you here. "一覧" lists your open cases.'))
        _say(turn, "\n".join(lines))
    return True


# ---------------------------------------------------------------- filing a note (the dialog's end)


def file_concern_note(turn: Turn, answers: dict) -> list:
    """The concern-note dialog's commit: the note becomes a case, routed, its pushes queued."""
    if access.staff_of(turn.session, turn.user) is None:
        access.refuse(turn.session, turn.user, None, "file_note", turn.now)
        return [text(turn.t.gettext(NOT_AVAILABLE))]
    case = workflow.file_note(turn.session, turn.user, answers, turn.now, turn.services.city)
    log.info("note filed as case %s by user %s", case.id, turn.user.id)
    return [
        text(
            turn.t.gettext(
                "Thank you. Your note was sent to the specialists as {ref}. "
                "I will tell you when it is picked up.",
                ref=case.reference,
            )
        )
    ]


# ---------------------------------------------------------------- a case's card and buttons


def case_card(turn: Turn, case: Case) -> None:
    t, city = turn.t, turn.services.city
    if case.assignee_id == turn.user.id:
        who = t.gettext("You have it.")
    elif case.assignee_id:
        who = t.gettext("Another specialist has it.")
    else:
        who = t.gettext(labels.STATUS_LABELS["new"])
    lines = [m.summary(t, case, city), t.gettext(labels.TYPE_LABELS[case.lead_type]), who]
    if case.status == "closed":
        outcome = t.gettext(
            labels.OUTCOME_LABELS.get(case.outcome or "", labels.STATUS_LABELS["closed"])
        )
        lines.append(t.gettext("Closed: {outcome}", outcome=outcome))
    if case.follow_up_on:
        lines.append(t.gettext("Next follow-up: {day}", day=_day(turn, case.follow_up_on)))
    referrals = turn.session.scalars(
        select(Referral).where(Referral.case_id == case.id).order_by(Referral.id)
    ).all()
    for referral in referrals:
        lines.append(f"→ {referral.org}: {t.gettext(labels.REFERRAL_LABELS[referral.status])}")
    events = turn.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()).limit(5)
    ).all()
    for event in reversed(events):
        label = t.gettext(labels.EVENT_LABELS.get(event.kind, event.kind))
        if event.kind == "action":
            label += "：" + t.gettext(labels.ACTION_LABELS.get(event.detail.get("action"), "Other"))
        lines.append(f"{t.datetime(event.at, 'short')} {label}")
    _say(turn, "\n".join(lines), case_buttons(turn, case))


def case_buttons(turn: Turn, case: Case) -> list:
    t = turn.t
    actions = [postback(t.gettext("Read the note"), m.case_data("case_note", case))]
    if case.status == "closed":
        return actions
    if case.assignee_id != turn.user.id:
        actions.append(postback(t.gettext("Claim"), m.case_data("claim", case)))
    tomorrow = date.fromordinal(_today(turn).toordinal() + 1).isoformat()
    actions += [
        postback(t.gettext("Log an action"), m.case_data("act", case)),
        date_picker(
            t.gettext("Follow-up date"),
            m.case_data("follow_up", case),
            initial=tomorrow,
            min_=_today(turn).isoformat(),
        ),
        postback(t.gettext("Refer"), m.case_data("refer", case)),
        postback(t.gettext("Hand over"), m.case_data("handover", case)),
        postback(t.gettext("Close"), m.case_data("close", case)),
    ]
    return actions


def _case(turn: Turn, fields: dict, what: str, open_only: bool = False) -> Case | None:
    """The case a command names, if the speaker may see it (and, for changes, it is open)."""
    case = access.case_for(turn.session, turn.user, fields.get("case"), what, turn.now)
    if case is None:
        _refused(turn)
    elif open_only and case.status == "closed":
        _say(turn, turn.t.gettext("{ref} is closed.", ref=case.reference))
        return None
    return case


@button_command("case", roles=CASE_WORKERS)
def open_case(turn: Turn, fields: dict, params: dict) -> None:
    if case := _case(turn, fields, "case"):
        case_card(turn, case)


@button_command("case_note", roles=CASE_WORKERS)
def read_note(turn: Turn, fields: dict, params: dict) -> None:
    case = _case(turn, fields, "case_note")
    if case is None:
        return
    note = turn.session.get(ConcernNote, case.note_id)
    turn.session.add(
        AuditEntry(actor_id=turn.user.id, case_id=case.id, action="view_note", at=turn.now)
    )
    log.info("user %s read the note of case %s", turn.user.id, case.id)
    t = turn.t
    head = t.gettext(
        "{ref} — filed {when} ({basis})",
        ref=case.reference,
        when=t.datetime(note.created_at, "short"),
        basis=t.gettext(labels.BASIS_LABELS[note.legal_basis]),
    )
    body = f"{head}\n\n{note.text}"
    if note.birth_month:
        body += "\n" + t.gettext("Birth or due month: {month}", month=note.birth_month)
    # Providers' reasons are free text too: shown here, where every view is audited.
    reasons = turn.session.scalars(
        select(Referral).where(Referral.case_id == case.id, Referral.reason.is_not(None))
    ).all()
    for referral in reasons:
        body += "\n" + t.gettext("{org} cannot: {reason}", org=referral.org, reason=referral.reason)
    _say(turn, body, case_buttons(turn, case))


@button_command("claim", roles=CASE_WORKERS)
def claim_case(turn: Turn, fields: dict, params: dict) -> None:
    case = _case(turn, fields, "claim", open_only=True)
    if case is None:
        return
    if workflow.claim(turn.session, case, turn.user, turn.now):
        _say(
            turn,
            turn.t.gettext(
                "{ref} is yours now. The member who filed it was told.", ref=case.reference
            ),
            case_buttons(turn, case),
        )
    else:
        _say(
            turn,
            turn.t.gettext(
                "{ref} is already with another specialist or closed.", ref=case.reference
            ),
        )


@button_command("act", roles=CASE_WORKERS)
def log_action(turn: Turn, fields: dict, params: dict) -> None:
    case = _case(turn, fields, "act", open_only=True)
    if case is None:
        return
    kind = fields.get("k")
    t = turn.t
    if kind not in labels.ACTION_LABELS:
        question = t.gettext("What did you do for {ref}?", ref=case.reference)
        _ask_which(turn, case, "act", "k", labels.ACTION_LABELS, question)
        return
    workflow.log_action(turn.session, case, turn.user, kind, turn.now)
    _say(
        turn,
        t.gettext(
            "Recorded for {ref}: {action}.",
            ref=case.reference,
            action=t.gettext(labels.ACTION_LABELS[kind]),
        ),
        case_buttons(turn, case),
    )


@button_command("follow_up", roles=CASE_WORKERS)
def follow_up(turn: Turn, fields: dict, params: dict) -> None:
    case = _case(turn, fields, "follow_up", open_only=True)
    if case is None:
        return
    try:
        day = date.fromisoformat((params or {}).get("date", ""))
    except ValueError:
        day = None
    if day is None or day < _today(turn):
        _say(turn, turn.t.gettext("Please pick a date from today on."), case_buttons(turn, case))
        return
    workflow.set_follow_up(turn.session, case, turn.user, day, turn.now)
    _say(
        turn,
        turn.t.gettext(
            "I will remind you about {ref} on {day}.", ref=case.reference, day=_day(turn, day)
        ),
    )


@button_command("refer", roles=CASE_WORKERS)
def refer(turn: Turn, fields: dict, params: dict) -> None:
    case = _case(turn, fields, "refer", open_only=True)
    if case is None:
        return
    t = turn.t
    orgs = workflow.provider_orgs(turn.session)
    index = fields.get("org", "")
    # The list may change between showing and tapping: the button carries the name's digest.
    chosen = orgs[int(index)] if index.isdigit() and int(index) < len(orgs) else None
    if chosen is None or fields.get("h") != _digest(chosen):
        if index:
            _say(turn, t.gettext("That button has expired. Please start again from the menu."))
            return
        if not orgs:
            _say(turn, t.gettext("No provider organisation has registered members yet."))
            return
        quick = [
            postback(org, m.case_data("refer", case, org=str(i), h=_digest(org)), org)
            for i, org in enumerate(orgs[:13])
        ]
        _say(turn, t.gettext("Refer {ref} to which organisation?", ref=case.reference), quick)
        return
    org = chosen
    workflow.refer(turn.session, case, turn.user, org, turn.now, turn.services.city)
    _say(
        turn,
        t.gettext(
            "Asked {org} about {ref}. I will tell you their answer.", org=org, ref=case.reference
        ),
    )


def _digest(org: str) -> str:
    return hashlib.sha256(org.encode()).hexdigest()[:8]


@button_command("handover", roles=CASE_WORKERS)
def handover(turn: Turn, fields: dict, params: dict) -> None:
    case = _case(turn, fields, "handover", open_only=True)
    if case is None:
        return
    workflow.hand_over(turn.session, case, turn.user, turn.now, turn.services.city)
    _say(
        turn,
        turn.t.gettext(
            "{ref} was handed over to the {type}.",
            ref=case.reference,
            type=turn.t.gettext(labels.TYPE_LABELS[case.lead_type]),
        ),
    )


@button_command("close", roles=CASE_WORKERS)
def close_case(turn: Turn, fields: dict, params: dict) -> None:
    case = _case(turn, fields, "close", open_only=True)
    if case is None:
        return
    t = turn.t
    outcome = fields.get("o")
    if outcome not in labels.OUTCOME_LABELS:
        question = t.gettext("How did {ref} end?", ref=case.reference)
        _ask_which(turn, case, "close", "o", labels.OUTCOME_LABELS, question)
        return
    workflow.close(turn.session, case, turn.user, outcome, turn.now)
    _say(
        turn,
        t.gettext(
            "{ref} is closed ({outcome}). The member who filed it was told.",
            ref=case.reference,
            outcome=t.gettext(labels.OUTCOME_LABELS[outcome]),
        ),
    )


# ---------------------------------------------------------------- lists


def _list(turn: Turn, cases: list[Case], empty: str, head: str) -> None:
    t = turn.t
    if not cases:
        _say(turn, t.gettext(empty))
        return
    lines = [t.gettext(head)]
    for case in cases[:20]:
        line = m.summary(t, case, turn.services.city)
        if case.follow_up_on:
            line += "・" + t.gettext("follow-up {day}", day=_day(turn, case.follow_up_on))
        lines.append(line)
    quick = [message_action("#" + c.reference) for c in cases[:13]]
    _say(turn, "\n".join(lines), quick)


def _worker(turn: Turn) -> Staff | None:
    staff = access.staff_of(turn.session, turn.user)
    if staff is None or staff.role not in CASE_WORKERS:
        _refused(turn)
        return None
    return staff


@text_command("case_list", roles=CASE_WORKERS)
def my_cases(turn: Turn, typed: str) -> bool:
    if unicodedata.normalize("NFKC", typed).strip() not in ("一覧", "いちらん"):
        return False
    if _worker(turn) is None:
        return True
    cases = turn.session.scalars(
        select(Case).where(Case.status != "closed", carried_by(turn.user.id)).order_by(Case.id)
    ).all()
    _list(turn, list(cases), _("You have no open cases."), _("Your open cases:"))
    return True


@button_command("today", roles=CASE_WORKERS)
def due_today(turn: Turn, fields: dict, params: dict) -> None:
    if _worker(turn) is None:
        return
    cases = turn.session.scalars(
        select(Case)
        .where(Case.status != "closed", Case.follow_up_on <= _today(turn), carried_by(turn.user.id))
        .order_by(Case.follow_up_on, Case.id)
    ).all()
    _list(turn, list(cases), _("No follow-ups are due today."), _("Follow-ups due today:"))


@button_command("unclaimed", roles=CASE_WORKERS)
def unclaimed(turn: Turn, fields: dict, params: dict) -> None:
    staff = _worker(turn)
    if staff is None:
        return
    cases = turn.session.scalars(
        select(Case)
        .where(Case.status == "new", access.scope_filter(staff, turn.user))
        .order_by(Case.id)
    ).all()
    _list(turn, list(cases), _("No unclaimed cases."), _("Not yet claimed:"))


_REF = re.compile(r"^#?\s*K-?(\d{1,9})$")

NOTE_STATUS = {
    "new": _("received, waiting for a specialist"),
    "open": _("picked up by a specialist"),
    "closed": _("closed"),
}


@text_command("case_reference", roles=STAFF)
def by_reference(turn: Turn, typed: str) -> bool:
    match = _REF.match(unicodedata.normalize("NFKC", typed).strip().upper())
    if match is None:
        return False
    raw = str(int(match.group(1)))
    if turn.user.role in CASE_WORKERS:
        if case := _case(turn, {"case": raw}, "reference"):
            case_card(turn, case)
        return True
    case = turn.session.get(Case, int(raw))
    note = turn.session.get(ConcernNote, case.note_id) if case else None
    if note is None or note.reporter_id != turn.user.id:
        access.refuse(turn.session, turn.user, int(raw), "reference", turn.now)
        _refused(turn)
        return True
    _say(turn, _note_status(turn, case))
    return True


def _note_status(turn: Turn, case: Case) -> str:
    return f"{case.reference}: {turn.t.gettext(NOTE_STATUS[case.status])}"


@button_command("my_notes", roles=MEMBERS)
def my_notes(turn: Turn, fields: dict, params: dict) -> None:
    if access.staff_of(turn.session, turn.user) is None:
        _refused(turn)
        return
    cases = turn.session.scalars(
        select(Case)
        .join(ConcernNote, ConcernNote.id == Case.note_id)
        .where(ConcernNote.reporter_id == turn.user.id)
        .order_by(Case.id.desc())
        .limit(20)
    ).all()
    t = turn.t
    if not cases:
        _say(turn, t.gettext('You have not sent any notes yet. Start one with "気になる".'))
        return
    lines = [t.gettext("Your notes:")] + [_note_status(turn, c) for c in cases]
    _say(turn, "\n".join(lines))


# ---------------------------------------------------------------- a provider answers a referral


def _referral(turn: Turn, raw: str | None) -> Referral | None:
    referral = turn.session.get(Referral, int(raw)) if raw and raw.isdigit() else None
    if referral is not None and workflow.may_answer(turn.session, turn.user, referral):
        return referral
    case_id = referral.case_id if referral else None
    access.refuse(turn.session, turn.user, case_id, "ref_answer", turn.now)
    _refused(turn)
    return None


@button_command("ref_answer", roles=MEMBERS)
def referral_answer(turn: Turn, fields: dict, params: dict) -> None:
    referral = _referral(turn, fields.get("ref"))
    if referral is None:
        return
    answer = fields.get("a")
    if answer not in workflow.ANSWERS:
        _refused(turn)
        return
    if answer == "declined":
        ctx = turn.context({"referral": referral.id})
        result = engine.start(DIALOGS["case_referral"], ctx)
        turn.set_place(result.place)
        turn.say(*result.say)
        return
    workflow.answer_referral(
        turn.session, referral, turn.user, answer, turn.now, turn.services.city
    )
    _say(turn, turn.t.gettext("Thank you. Your answer was sent to the specialist."))


def referral_declined(turn: Turn, answers: dict) -> list:
    """The reason dialog's commit: re-checked, recorded, sent back."""
    referral = _referral(turn, str(answers.get("referral", "")))
    if referral is None:
        return []
    workflow.answer_referral(
        turn.session,
        referral,
        turn.user,
        "declined",
        turn.now,
        turn.services.city,
        reason=answers.get("reason"),
    )
    return [text(turn.t.gettext("Thank you. Your answer was sent to the specialist."))]
