"""Retention: family words kept no longer than they serve (APPI; the city's retention period).

- A closed case past the city's retention is purged with everything that holds words about the
  family: its note or request, events (memos, the conversation with the family), referrals
  (providers' reasons). The audit trail stays, with an entry saying the case was purged.
- The outbox keeps what was sent only until it is delivered: bodies of sent messages are cleared
  an hour after delivery, those LINE refused for good (dead letters) after a week (long enough for
  the admins' report); replies that never confirmed, likewise.
- An outreach booking (it ties a parent to a consultation) is deleted 90 days after its day:
  long enough for the monthly figures, no longer.
- A webhook event that could not be handled keeps its payload a week for diagnosis, then loses it
  (handled events lose theirs at once, ``bot.inbox``).
- Questions the knowledge base could not answer (``bot.knowledge.gaps``: words only, masked, no
  user) are kept half a year, long enough for the editors' quarterly review, then deleted.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from bot.calendar import local_day
from bot.cases import access
from bot.cases.models import Case, CaseEvent, ConcernNote, Referral
from bot.consultations.models import ConsultationRequest
from bot.knowledge.models import KbGap
from bot.outreach.models import OutreachBooking
from bot.storage.db import Database
from bot.storage.models import InboxEvent, OutboxMessage

log = logging.getLogger(__name__)

PURGE_BATCH = 500
SENT_KEPT = timedelta(hours=1)
DEAD_KEPT = timedelta(days=7)
FAILED_EVENT_KEPT = timedelta(days=7)
GAPS_KEPT = timedelta(days=183)
BOOKING_KEPT = timedelta(days=90)


def purge_closed(parts, now: datetime) -> int:
    """Closed cases past the city's retention, and all their words; return how many."""
    cutoff = now - timedelta(days=parts.retention_days)
    due = select(Case.id, Case.note_id, Case.request_id).where(
        Case.status == "closed", Case.closed_at < cutoff
    )
    with parts.db.reading() as session:  # look before taking SQLite's write lock
        if session.execute(due.limit(1)).first() is None:
            return 0
    purged = 0
    while True:
        with parts.db.transaction() as session:
            rows = session.execute(due.order_by(Case.id).limit(PURGE_BATCH)).all()
            if not rows:
                return purged
            ids = [r[0] for r in rows]
            notes = [r[1] for r in rows if r[1]]
            requests = [r[2] for r in rows if r[2]]
            session.execute(delete(CaseEvent).where(CaseEvent.case_id.in_(ids)))
            session.execute(delete(Referral).where(Referral.case_id.in_(ids)))
            session.execute(delete(Case).where(Case.id.in_(ids)))
            session.execute(delete(ConcernNote).where(ConcernNote.id.in_(notes)))
            session.execute(delete(ConsultationRequest).where(ConsultationRequest.id.in_(requests)))
            access.record_purged(session, ids, now)
        purged += len(rows)
        log.info("purged %d closed cases past retention", len(rows))


def clear_words(db: Database, now: datetime) -> int:
    """Clear the bodies of delivered and given-up outbox rows and the payloads of events that
    failed, once their time is up; return how many rows lost their words."""
    done_sent = OutboxMessage.status == "sent"
    given_up = OutboxMessage.status.in_(("dead", "unconfirmed"))
    outbox = (OutboxMessage.cleared.is_(False)) & (
        (done_sent & (OutboxMessage.sent_at < now - SENT_KEPT))
        | (given_up & (OutboxMessage.created_at < now - DEAD_KEPT))
    )
    failed = (
        (InboxEvent.status == "failed")
        & InboxEvent.payload.is_not(None)
        & (InboxEvent.processed_at < now - FAILED_EVENT_KEPT)
    )
    with db.reading() as session:
        due_out = session.scalar(select(OutboxMessage.id).where(outbox).limit(1))
        due_in = session.scalar(select(InboxEvent.id).where(failed).limit(1))
    if due_out is None and due_in is None:
        return 0
    with db.transaction() as session:
        cleared = session.execute(
            update(OutboxMessage).where(outbox).values(messages=[], instead=None, cleared=True)
        ).rowcount
        cleared += session.execute(update(InboxEvent).where(failed).values(payload=None)).rowcount
    log.info("cleared the words of %d delivered or failed rows", cleared)
    return cleared


def purge_gaps(db: Database, now: datetime) -> int:
    """Delete the unanswered questions older than GAPS_KEPT; return how many."""
    cutoff = (now - GAPS_KEPT).date()
    with db.reading() as session:  # look before taking SQLite's write lock
        if session.scalar(select(KbGap.id).where(KbGap.asked_on < cutoff).limit(1)) is None:
            return 0
    with db.transaction() as session:
        gone = session.execute(delete(KbGap).where(KbGap.asked_on < cutoff)).rowcount
    log.info("deleted %d unanswered questions past their time", gone)
    return gone


def purge_bookings(db: Database, now: datetime) -> int:
    """Outreach bookings whose day is more than BOOKING_KEPT ago; return how many went."""
    old = OutreachBooking.day < local_day(now) - BOOKING_KEPT
    with db.reading() as session:
        if session.scalar(select(OutreachBooking.id).where(old).limit(1)) is None:
            return 0
    with db.transaction() as session:
        gone = session.execute(delete(OutreachBooking).where(old)).rowcount
    log.info("deleted %d outreach bookings past retention", gone)
    return gone
