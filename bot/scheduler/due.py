"""What is due on a business morning: one set-based query per job, each leaving out what was
already sent (an anti-join on ReminderSent), so the work grows with what is due, not with the
number of open cases.

Each job returns Reminders: a kind, its subject (a case or a referral), the due day that keys it,
and who gets it. The tick writes the keys and the pushes in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.calendar import BusinessCalendar, local_day, start_of
from bot.cases import queries
from bot.cases.models import Case, ConcernNote, Referral
from bot.scheduler.models import ReminderSent
from bot.vocabulary import Role, SpecialistType

ACTIVE = ("new", "open")
FOLLOW_UP_LOOKBACK = timedelta(days=62)  # a follow-up date older than this is not reminded
REFERRAL_PROVIDER_DAYS = 3  # business days a provider has to answer before a reminder
URGENT_CLAIM_WAIT = timedelta(hours=1)  # an urgent note unclaimed this long: everyone, at once
URGENT_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class Reminder:
    kind: str
    subject_id: int  # the case, or the referral for referral_*
    due_on: date
    case_id: int
    to: tuple[int, ...]  # LineUser ids

    @property
    def key(self) -> tuple[str, int, date]:
        return (self.kind, self.subject_id, self.due_on)


@dataclass
class Morning:
    """A business morning as of which the jobs run."""

    day: date
    at: datetime  # the morning's moment: reminders are decided as of it
    since: datetime  # the business morning before (what the partner type filed since then)
    reminders: list[Reminder] = field(default_factory=list)
    partner_filed: dict[int, list[int]] = field(default_factory=dict)  # specialist → case ids


def already_sent(kind: str, subject, *more) -> exists:
    return exists().where(ReminderSent.kind == kind, ReminderSent.subject_id == subject, *more)


def _carrier(assignee_id: int | None, lead_id: int | None) -> tuple[int, ...]:
    who = assignee_id or lead_id
    return (who,) if who else ()


class People:
    """The active staff the jobs address, read once per morning."""

    def __init__(self, session: Session):
        self.specialists = [(user.id, staff) for user, staff in queries.specialists(session)]
        self.by_type: dict[str, tuple[int, ...]] = defaultdict(tuple)
        for uid, staff in self.specialists:
            self.by_type[staff.specialist_type] += (uid,)
        self.admins = tuple(user.id for user in queries.admins(session))
        self.members_of: dict[str, tuple[int, ...]] = defaultdict(tuple)
        for user, staff in queries.active_staff(session, Role.MEMBER):
            self.members_of[staff.org] += (user.id,)

    def of_type(self, kind: str) -> tuple[int, ...]:
        # Nobody of the lead type: the other type rather than nobody (as routing does).
        return self.by_type.get(kind) or tuple(uid for uid, _ in self.specialists)

    def who_may_open(self, users: tuple[int, ...], area: str | None, lead: int | None):
        """Those of ``users`` who may open a case in ``area`` (their area, every area, or
        its lead): a reminder never names a case its reader would be refused."""
        covers = {uid for uid, staff in self.specialists if staff.area in (None, area)}
        return tuple(uid for uid in users if uid in covers or uid == lead)


# ---------------------------------------------------------------- the jobs


def follow_ups(session: Session, m: Morning) -> list[Reminder]:
    """On the follow-up date's morning (or the next business one), to the case's specialist."""
    rows = session.execute(
        select(Case.id, Case.follow_up_on, Case.assignee_id, Case.lead_id).where(
            Case.status.in_(ACTIVE),
            Case.follow_up_on <= m.day,
            Case.follow_up_on >= m.day - FOLLOW_UP_LOOKBACK,
            ~already_sent("followup", Case.id, ReminderSent.due_on == Case.follow_up_on),
        )
    )
    return [Reminder("followup", cid, on, cid, _carrier(a, lead)) for cid, on, a, lead in rows]


def unclaimed(session: Session, m: Morning, people: People) -> list[Reminder]:
    """A case filed before today, still unclaimed: again to every specialist of its lead type
    who may open it."""
    rows = session.execute(
        select(Case.id, Case.lead_type, Case.area, Case.lead_id).where(
            Case.status == "new",
            Case.created_at < start_of(m.day),
            ~already_sent("unclaimed", Case.id, ReminderSent.at >= Case.updated_at),
        )
    )
    return [
        Reminder(
            "unclaimed", cid, m.day, cid, people.who_may_open(people.of_type(kind), area, lead)
        )
        for cid, kind, area, lead in rows
    ]


def unclaimed_for_admins(session: Session, m: Morning, people: People) -> list[Reminder]:
    """Still unclaimed a business day after the specialists were told again: the city admin."""
    rows = session.scalars(
        select(Case.id).where(
            Case.status == "new",
            already_sent(
                "unclaimed",
                Case.id,
                ReminderSent.due_on < m.day,
                ReminderSent.at >= Case.updated_at,
            ),
            ~already_sent("unclaimed_admin", Case.id, ReminderSent.at >= Case.updated_at),
        )
    )
    return [Reminder("unclaimed_admin", cid, m.day, cid, people.admins) for cid in rows]


def stale(session: Session, m: Morning, calendar: BusinessCalendar, days: int) -> list[Reminder]:
    """An open case with no recorded change for `days` business days: once per quiet spell."""
    quiet_since = start_of(calendar.business_day_before(m.day, max(days - 1, 0)))
    rows = session.execute(
        select(Case.id, Case.assignee_id, Case.lead_id).where(
            Case.status == "open",
            Case.updated_at < quiet_since,
            ~already_sent("stale", Case.id, ReminderSent.at >= Case.updated_at),
        )
    )
    return [Reminder("stale", cid, m.day, cid, _carrier(a, lead)) for cid, a, lead in rows]


def turned_one(birth_month: str, day: date) -> bool:
    """Whether a child born (or due) in "YYYY-MM" is one year old in day's month."""
    try:
        year, month = int(birth_month[:4]), int(birth_month[5:7])
    except ValueError:
        return False
    return (year + 1, month) <= (day.year, day.month)


def stage_hand_overs(session: Session, m: Morning, calendar: BusinessCalendar) -> list[Reminder]:
    """An MCH-led case whose child has turned one: prompt its specialist to hand over (once).

    A child turns one in a month, so every MCH case not yet prompted is looked at on the first
    business morning of a month, and on other mornings only the cases changed since the last
    one. The birth month is encrypted: the month test runs here, the only per-case loop of a
    tick.
    """
    query = (
        select(Case.id, Case.assignee_id, Case.lead_id, ConcernNote.birth_month)
        .join(ConcernNote, ConcernNote.id == Case.note_id)
        .where(
            Case.lead_type == "mch",
            Case.status.in_(ACTIVE),
            ConcernNote.birth_month.is_not(None),
            ~already_sent("handover", Case.id),
        )
    )
    if calendar.business_day_before(m.day).month == m.day.month:
        query = query.where(Case.updated_at >= m.since)
    rows = session.execute(query)
    return [
        Reminder("handover", cid, m.day, cid, _carrier(a, lead))
        for cid, a, lead, born in rows
        if turned_one(born, m.day)
    ]


def unanswered_referrals(
    session: Session, m: Morning, calendar: BusinessCalendar, people: People
) -> list[Reminder]:
    """A request unanswered for 3 business days: the provider; a business day later, the
    specialist who asked."""
    asked_before = start_of(calendar.business_day_before(m.day, REFERRAL_PROVIDER_DAYS))
    open_case = exists().where(Case.id == Referral.case_id, Case.status.in_(ACTIVE))
    found = [
        Reminder("referral_provider", rid, m.day, cid, people.members_of.get(org, ()))
        for rid, cid, org in session.execute(
            select(Referral.id, Referral.case_id, Referral.org).where(
                Referral.status == "requested",
                Referral.created_at < asked_before,
                open_case,
                ~already_sent("referral_provider", Referral.id),
            )
        )
    ]
    found += [
        Reminder("referral_specialist", rid, m.day, cid, (by,) if by else ())
        for rid, cid, by in session.execute(
            select(Referral.id, Referral.case_id, Referral.requested_by).where(
                Referral.status == "requested",
                open_case,
                already_sent("referral_provider", Referral.id, ReminderSent.due_on < m.day),
                ~already_sent("referral_specialist", Referral.id),
            )
        )
    ]
    return found


def partner_filed(session: Session, m: Morning, people: People) -> dict[int, list[int]]:
    """For each specialist: the cases the other type leads, filed since the last business
    morning in their area (for information, in the digest)."""
    rows = session.execute(
        select(Case.id, Case.lead_type, Case.area)
        .where(Case.status.in_(ACTIVE), Case.created_at >= m.since, Case.created_at < m.at)
        .order_by(Case.id)
    ).all()
    found: dict[int, list[int]] = {}
    for uid, staff in people.specialists:
        partner = SpecialistType(staff.specialist_type).other
        mine = [cid for cid, kind, area in rows if kind == partner and staff.area in (None, area)]
        if mine:
            found[uid] = mine
    return found


def urgent_unclaimed(session: Session, now: datetime, people: People) -> list[Reminder]:
    """An urgent case nobody claimed within the hour: every specialist who may open it and the
    admins, at any hour of any day (once per case)."""
    specialists = tuple(uid for uid, _ in people.specialists)
    rows = session.execute(
        select(Case.id, Case.created_at, Case.area, Case.lead_id).where(
            Case.status == "new",
            Case.urgency == "urgent",
            Case.created_at <= now - URGENT_CLAIM_WAIT,
            Case.created_at >= now - URGENT_LOOKBACK,
            ~already_sent("urgent_unclaimed", Case.id),
        )
    )
    return [
        Reminder(
            "urgent_unclaimed",
            cid,
            local_day(filed),
            cid,
            tuple(dict.fromkeys((*people.who_may_open(specialists, area, lead), *people.admins))),
        )
        for cid, filed, area, lead in rows
    ]


def plan_morning(
    session: Session, calendar: BusinessCalendar, day: date, stale_after: int
) -> Morning:
    """Everything due on a business morning, as of that morning."""
    m = Morning(
        day, calendar.morning_of(day), calendar.morning_of(calendar.business_day_before(day))
    )
    people = People(session)
    m.reminders = [
        *follow_ups(session, m),
        *unclaimed(session, m, people),
        *unclaimed_for_admins(session, m, people),
        *stale(session, m, calendar, stale_after),
        *stage_hand_overs(session, m, calendar),
        *unanswered_referrals(session, m, calendar, people),
    ]
    m.partner_filed = partner_filed(session, m, people)
    return m
