"""One tick of the clock as of a moment: the scheduler, ``reminders run --now`` and the tests
all call ``tick(parts, now)``.

A tick works through every business morning from the day of the last tick up to now, oldest
first (catch-up after downtime), then reports dead letters and purges closed cases past their
retention. Each reminder is decided by inserting its ReminderSent key in the same transaction
as its outbox rows, insert-or-ignore: only a new key writes a push. A morning's whole batch is
one transaction behind a "morning" key, so a second clock, a tick run again or a tick killed
halfway (rolled back) sends nothing twice and loses nothing.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendar import BusinessCalendar, QuietHours, after_quiet_hours, local_day
from bot.cases.models import Case, Referral
from bot.city import City
from bot.i18n import Translator
from bot.messaging.outbox import enqueue
from bot.reports.summary import push_monthly_summary
from bot.scheduler import digest
from bot.scheduler.digest import CaseLine
from bot.scheduler.due import Morning, People, already_sent, plan_morning, urgent_unclaimed
from bot.scheduler.keys import decide
from bot.scheduler.lease import last_tick, mark_ticked
from bot.scheduler.meetings import remind_meetings
from bot.scheduler.models import ReminderSent
from bot.scheduler.outreach import digest_lines, remind_bookings
from bot.scheduler.places import ask_stale_availability
from bot.scheduler.retention import clear_words, purge_bookings, purge_closed, purge_gaps
from bot.storage.db import Database
from bot.storage.models import LineUser, OutboxMessage

log = logging.getLogger(__name__)

CATCH_UP_DAYS = 31  # after a longer downtime the oldest mornings are not worked through
DEAD_LETTER_WINDOW = timedelta(days=7)
CHUNK = 500  # rows per statement (SQLite's limit on bound parameters)
STAFF_WHO_OPEN_CASES = ("specialist", "admin")


@dataclass
class ClockParts:
    """What a tick needs: the database, the city, its calendar and quiet hours, LINE's API."""

    db: Database
    city: City
    calendar: BusinessCalendar
    quiet: QuietHours | None
    api: object | None = None  # a MessagingApi, to read the message quota
    stale_after: int = 10
    retention_days: int = 1825

    @classmethod
    def of(cls, tsunagu) -> ClockParts:
        city = tsunagu.city
        return cls(
            db=tsunagu.db,
            city=city,
            calendar=city.calendar,
            quiet=tsunagu.settings.quiet_hours,
            api=tsunagu.runtime.deliverer.api,
            stale_after=city.stale_after,
            retention_days=city.retention_days,
        )


def tick(parts: ClockParts, now: datetime) -> Counter:
    """Run every job as of `now`; return what was done (counts by kind)."""
    done: Counter = Counter()
    for day in mornings_due(parts, now):
        done["reminders"] += run_morning(parts, day, now)
        done["mornings"] += 1
        done["monthly_summary"] += push_monthly_summary(
            parts.db, parts.calendar, parts.city, day, now, decide, _hold(parts, now)
        )
    done["urgent"] += report_urgent_unclaimed(parts, now)
    done["dead_letters"] += report_dead_letters(parts, now)
    done["purged"] += purge_closed(parts, now)
    done["cleared"] += clear_words(parts.db, now)
    done["gaps_purged"] += purge_gaps(parts.db, now)
    done["availability"] += ask_stale_availability(parts, now)
    done["meetings"] += remind_meetings(parts, now)
    done["bookings"] += remind_bookings(parts, now)
    done["purged_bookings"] += purge_bookings(parts.db, now)
    mark_ticked(parts.db, now)
    return done


def mornings_due(parts: ClockParts, now: datetime) -> list[date]:
    """Business mornings from the last tick's day to now, not yet done, oldest first."""
    today = local_day(now)
    last = last_tick(parts.db)
    first = local_day(min(last, now)) if last else today
    first = max(first, today - timedelta(days=CATCH_UP_DAYS))
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    days = [
        d for d in days if parts.calendar.is_business_day(d) and parts.calendar.morning_of(d) <= now
    ]
    if not days:
        return []
    with parts.db.reading() as session:
        done = set(
            session.scalars(
                select(ReminderSent.due_on).where(
                    ReminderSent.kind == "morning", ReminderSent.due_on.in_(days)
                )
            )
        )
    return [d for d in days if d not in done]


def _load(session: Session, model, ids: Iterable[int]) -> dict:
    ids = sorted(set(ids))
    found = {}
    for i in range(0, len(ids), CHUNK):
        for row in session.scalars(select(model).where(model.id.in_(ids[i : i + CHUNK]))):
            found[row.id] = row
    return found


def _case_lines(session: Session, ids: Iterable[int]) -> dict[int, CaseLine]:
    """What a push may show of each case, read as plain rows (no ORM objects for thousands)."""
    ids = sorted(set(ids))
    found = {}
    columns = (Case.id, Case.kind, Case.stage, Case.area, Case.urgency, Case.version)
    for i in range(0, len(ids), CHUNK):
        for row in session.execute(select(*columns).where(Case.id.in_(ids[i : i + CHUNK]))):
            found[row[0]] = CaseLine(*row)
    return found


def _hold(parts: ClockParts, now: datetime) -> datetime | None:
    """Non-urgent pushes decided in the quiet hours wait for their end."""
    until = after_quiet_hours(now, parts.quiet)
    return until if until > now else None


def _quota_note(parts: ClockParts, pushes: int):
    """A line for the digest when the month's push quota runs low (None: fine or unknown)."""
    if parts.api is None or not pushes:
        return None
    try:
        quota = parts.api.get_message_quota()
        if quota.type != "limited" or quota.value is None:
            return None
        used = parts.api.get_message_quota_consumption().total_usage
    except Exception:  # the quota is advice; a failed look-up must not stop the reminders
        log.warning("could not read the message quota", exc_info=True)
        return None
    left = quota.value - used
    if left >= max(quota.value // 10, pushes):
        return None
    log.warning("message quota low: %d of %d left", left, quota.value)
    return lambda t: digest.quota_low(t, left, quota.value)


# ---------------------------------------------------------------- a business morning


def run_morning(parts: ClockParts, day: date, now: datetime) -> int:
    """Decide and queue one business morning's reminders; return how many were new."""
    with parts.db.reading() as session:
        m = plan_morning(session, parts.calendar, day, parts.stale_after)
        case_ids = {r.case_id for r in m.reminders}
        case_ids |= {cid for ids in m.partner_filed.values() for cid in ids}
        cases = _case_lines(session, case_ids)
        referrals = _load(
            session, Referral, (r.subject_id for r in m.reminders if r.kind == "referral_provider")
        )
        booked = digest_lines(session, parts.calendar, day, People(session).specialists, parts.city)
        users = _load(
            session,
            LineUser,
            {u for r in m.reminders for u in r.to} | set(m.partner_filed) | set(booked),
        )
    note = _quota_note(parts, len(users))
    hold = _hold(parts, now)
    with parts.db.transaction() as session:
        if not decide(session, parts.db, [("morning", 0, day)], m.at):
            return 0  # another clock did this morning meanwhile
        new = decide(session, parts.db, (r.key for r in m.reminders), m.at)
        todo = [r for r in m.reminders if r.key in new]
        pushes = _pushes(parts, m, todo, cases, referrals, users, note, booked)
        for uid, messages in pushes.items():
            enqueue(session, users[uid].line_user_id, messages, hold_until=hold)
    log.info("morning %s: %d reminders decided", day, len(todo))
    return len(todo)


def _pushes(parts, m: Morning, todo, cases, referrals, users, note, booked) -> dict[int, list]:
    """Each person's messages: a digest for staff who open cases, requests for providers."""
    items: dict[int, dict[str, list[CaseLine]]] = defaultdict(lambda: defaultdict(list))
    asked: dict[int, list] = defaultdict(list)
    for r in todo:
        for uid in r.to:
            if r.kind == "referral_provider":
                asked[uid].append((referrals[r.subject_id], cases[r.case_id]))
            else:
                items[uid][r.kind].append(cases[r.case_id])
    for uid, ids in m.partner_filed.items():
        items[uid]["partner"] = [cases[cid] for cid in ids]
    pushes: dict[int, list] = {}
    for uid in sorted(set(items) | set(asked) | set(booked)):
        user = users.get(uid)
        if user is None or not user.active or user.role == "parent":
            continue
        t = Translator(user.language)
        messages = []
        if items.get(uid) or uid in booked:
            opens = user.role in STAFF_WHO_OPEN_CASES
            messages.append(
                digest.digest(
                    t,
                    items[uid],
                    parts.city,
                    moment=m.at,
                    stale_days=parts.stale_after,
                    quota_note=note(t) if note and opens else None,
                    can_open=opens,
                    outreach=booked[uid](t) if uid in booked else None,
                )
            )
        if asked.get(uid):
            messages += digest.provider_reminder(t, asked[uid], parts.city)
        pushes[uid] = messages
    return pushes


# ---------------------------------------------------------------- every tick


def report_urgent_unclaimed(parts: ClockParts, now: datetime) -> int:
    """Urgent notes nobody claimed within the hour: pushed at once, whatever the day or hour."""
    with parts.db.reading() as session:
        due = urgent_unclaimed(session, now, People(session))
        if not due:
            return 0
        cases = _case_lines(session, (r.case_id for r in due))
        users = _load(session, LineUser, {u for r in due for u in r.to})
    with parts.db.transaction() as session:
        new = decide(session, parts.db, (r.key for r in due), now)
        todo = [r for r in due if r.key in new]
        for uid in sorted({u for r in todo for u in r.to}):
            user = users.get(uid)
            if user is None or not user.active or user.role not in STAFF_WHO_OPEN_CASES:
                continue
            t = Translator(user.language)
            messages = [
                digest.urgent_unclaimed(
                    t, cases[r.case_id], parts.city, can_claim=user.role == "specialist"
                )
                for r in todo
                if uid in r.to
            ]
            enqueue(session, user.line_user_id, messages, urgent=True)
    return len(todo)


def report_dead_letters(parts: ClockParts, now: datetime) -> int:
    """Messages given up for good, told to the admins once. Reports to admins are not reported
    (a dead admin's report cannot loop), nor rich-menu links (an operator's set-up, logged)."""
    with parts.db.reading() as session:
        admins = list(_load(session, LineUser, People(session).admins).values())
        query = select(OutboxMessage.id, OutboxMessage.last_error).where(
            OutboxMessage.status == "dead",
            OutboxMessage.kind == "messages",
            OutboxMessage.created_at >= now - DEAD_LETTER_WINDOW,
            ~already_sent("dead_letter", OutboxMessage.id),
        )
        if admins:
            query = query.where(OutboxMessage.to.not_in([a.line_user_id for a in admins]))
        rows = session.execute(query.order_by(OutboxMessage.id)).all()
    if not rows or not admins:
        return 0
    today = local_day(now)
    with parts.db.transaction() as session:
        new = decide(session, parts.db, (("dead_letter", oid, today) for oid, _ in rows), now)
        rows = [(oid, error) for oid, error in rows if ("dead_letter", oid, today) in new]
        if rows:
            for admin in admins:
                message = digest.dead_letters(Translator(admin.language), rows)
                enqueue(session, admin.line_user_id, [message], hold_until=_hold(parts, now))
    return len(rows)
