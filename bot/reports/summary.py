"""The monthly summary pushed to the admins on the first business morning of a month.

Figures only (small counts masked), never a family's details. Sent once per admin per month:
the key (monthly_summary, admin, first business day) is decided as the clock decides reminders.
"""

from __future__ import annotations

import logging
import statistics
from datetime import date, datetime

from babel.dates import format_skeleton
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases import queries
from bot.cases.models import Case, ConcernNote, Referral
from bot.city import City
from bot.consultations.models import ConsultationRequest
from bot.i18n import Translator, _
from bot.messaging.builders import text
from bot.messaging.outbox import enqueue
from bot.reports.period import SMALL, Month, shown
from bot.scheduler.models import ReminderSent

log = logging.getLogger(__name__)

KIND = "monthly_summary"
SUMMARY = _(
    "Figures for {month} (counts under 5 are shown as <5):\n"
    "・Concern notes filed: {notes}\n"
    "・Consultation requests: {consultations}\n"
    "・Cases opened: {opened} / closed: {closed}\n"
    "・Time to first contact (median): {median}\n"
    "・Referrals asked: {referrals}\n"
    "Tables and charts are on the admin page (send 「管理画面」)."
)
NO_MEDIAN = _("fewer than 5 cases")
HOURS = _("{hours} hours")


def _count(session: Session, column, when, month: Month, *where) -> int:
    return session.scalar(
        select(func.count(column)).where(when >= month.start, when < month.end, *where)
    )


def monthly_summary(session: Session, month: Month, city: City, language: str = "ja") -> str:
    """The month's headline figures as one short text in the admin's language."""
    t = Translator(language)
    claimed = session.execute(
        select(Case.created_at, Case.claimed_at).where(
            Case.claimed_at >= month.start, Case.claimed_at < month.end
        )
    ).all()
    hours = [(c - o).total_seconds() / 3600 for o, c in claimed]
    median = (
        t.gettext(HOURS, hours=round(statistics.median(hours), 1))
        if len(hours) >= SMALL
        else t.gettext(NO_MEDIAN)
    )
    return t.gettext(
        SUMMARY,
        month=format_skeleton("yMMMM", month.first_day, locale=t.language),
        notes=shown(_count(session, ConcernNote.id, ConcernNote.created_at, month)),
        consultations=shown(
            _count(session, ConsultationRequest.id, ConsultationRequest.created_at, month)
        ),
        opened=shown(_count(session, Case.id, Case.created_at, month)),
        closed=shown(_count(session, Case.id, Case.closed_at, month, Case.status == "closed")),
        median=median,
        referrals=shown(_count(session, Referral.id, Referral.created_at, month)),
    )


def first_business_day(calendar, month: Month) -> date:
    day = month.first_day
    return day if calendar.is_business_day(day) else calendar.business_day_after(day)


def push_monthly_summary(
    db, calendar, city: City, day: date, now: datetime, decide, hold: datetime | None
) -> int:
    """The clock's job on a business morning (``day``, caught up after downtime like the other
    morning jobs): on the month's first business day, last month's summary to each active admin,
    once. ``decide`` is the clock's insert-or-ignore of reminder keys (it returns the new ones);
    ``hold`` the end of the quiet hours, if now is in them. Returns how many were queued."""
    month = Month(day.year, day.month)
    if day != first_business_day(calendar, month):
        return 0
    with db.reading() as session:
        sent = set(
            session.scalars(
                select(ReminderSent.subject_id).where(
                    ReminderSent.kind == KIND, ReminderSent.due_on == day
                )
            )
        )
        admins = {
            user.id: (user.line_user_id, user.language)
            for user in queries.admins(session)
            if user.id not in sent
        }
        if not admins:
            return 0
        texts = {
            lang: monthly_summary(session, month.previous(), city, lang)
            for lang in {language for _, language in admins.values()}
        }
    with db.transaction() as session:
        new = decide(session, db, ((KIND, uid, day) for uid in admins), now)
        for _kind, uid, _day in sorted(new):
            line_id, language = admins[uid]
            enqueue(session, line_id, [text(texts[language])], hold_until=hold)
    if new:
        log.info("monthly summary for %s queued for %d admins", month.previous(), len(new))
    return len(new)
