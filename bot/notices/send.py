"""Choosing a notice's recipients and sending it by multicast, 500 at a time.

Recipients are parents who still follow the account, chosen by language (a column) and by stage
and area (in the encrypted profile: read and decrypted in batches, filtered here). Before
sending, LINE's monthly quota is read: a notice that does not fit is not started. Each batch is
stored with its recipients and an X-Line-Retry-Key before the first try, so a retry never
sends it twice (LINE answers 409 to a key it has seen).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from linebot.v3.messaging import MulticastRequest
from linebot.v3.messaging.exceptions import ApiException
from sqlalchemy import select
from urllib3.exceptions import HTTPError as TransportError

from bot.cases import access
from bot.notices.models import Notice, NoticeBatch
from bot.storage.db import Database
from bot.storage.models import LineUser

log = logging.getLogger(__name__)

BATCH = 500  # LINE's limit of recipients per multicast
READ_BATCH = 500  # profiles decrypted per round
TRIES = 4
TIMEOUT = (3.0, 20.0)
BACKOFF_SECONDS = 0.5  # before the 2nd try; doubled each time
TEXT_MAX = 5000


class NoticeError(ValueError):
    """The notice cannot be sent as asked (no text, too long, over the quota …)."""


@dataclass(frozen=True)
class Filters:
    stage: str | None = None
    area: str | None = None
    language: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}

    def matches(self, profile: dict) -> bool:
        return (not self.stage or profile.get("stage") == self.stage) and (
            not self.area or profile.get("area") == self.area
        )


@dataclass
class Outcome:
    recipients: int
    quota_left: int | None  # None: no limit, or LINE did not say
    dry_run: bool
    reference: str = ""
    sent: int = 0  # recipients in batches LINE accepted
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def recipients(db: Database, filters: Filters) -> list[str]:
    """LINE ids of the parents the filters choose, in id order."""
    query = select(LineUser.id, LineUser.line_user_id, LineUser.profile).where(
        LineUser.role == "parent", LineUser.active.is_(True)
    )
    if filters.language:
        query = query.where(LineUser.language == filters.language)
    chosen: list[str] = []
    last = 0
    with db.reading() as session:
        while True:
            rows = session.execute(
                query.where(LineUser.id > last).order_by(LineUser.id).limit(READ_BATCH)
            ).all()
            if not rows:
                return chosen
            chosen += [line_id for _, line_id, profile in rows if filters.matches(profile or {})]
            last = rows[-1][0]


def quota_left(api) -> int | None:
    """Messages LINE will still send this month; None when the plan has no limit."""
    quota = api.get_message_quota()
    if quota.type != "limited" or quota.value is None:
        return None
    return quota.value - api.get_message_quota_consumption().total_usage


def send_notice(
    db: Database,
    api,
    text: str,
    filters: Filters,
    now: datetime,
    sent_by: int | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Count (dry run) or send a notice. Raises NoticeError when it must not go."""
    text = (text or "").strip()
    if not text:
        raise NoticeError("empty")
    if len(text) > TEXT_MAX:
        raise NoticeError("too_long")
    to = recipients(db, filters)
    try:
        left = quota_left(api)
    except (ApiException, TransportError) as exc:
        if not dry_run:
            raise NoticeError("quota_unknown") from exc
        left = None
    outcome = Outcome(len(to), left, dry_run)
    if dry_run or not to:
        return outcome
    if left is not None and len(to) > left:
        raise NoticeError("over_quota")
    with db.transaction() as session:
        notice = Notice(
            text=text,
            filters=filters.as_dict(),
            recipients=len(to),
            sent_by=sent_by,
            created_at=now,
        )
        session.add(notice)
        session.flush()
        for i in range(0, len(to), BATCH):
            session.add(NoticeBatch(notice_id=notice.id, to=to[i : i + BATCH]))
        sender = session.get(LineUser, sent_by) if sent_by else None
        access.audit(session, sender, "notice_sent", now, detail=notice.reference)
        notice_id, outcome.reference = notice.id, notice.reference
    deliver(db, api, notice_id, outcome)
    return outcome


def deliver(db: Database, api, notice_id: int, outcome: Outcome) -> None:
    """Send the notice's pending batches (again, under the same keys, after a crash)."""
    with db.reading() as session:
        notice = session.get(Notice, notice_id)
        text = notice.text
        batches = session.scalars(
            select(NoticeBatch)
            .where(NoticeBatch.notice_id == notice_id, NoticeBatch.status == "pending")
            .order_by(NoticeBatch.id)
        ).all()
    for batch in batches:
        status, error, attempts = _multicast(api, batch, text)
        with db.transaction() as session:
            row = session.get(NoticeBatch, batch.id)
            row.status, row.last_error = status, error
            row.attempts += attempts
            if status == "sent":
                row.sent_at = datetime.now(UTC)
                outcome.sent += len(batch.to)
            else:
                outcome.failed += len(batch.to)
                outcome.errors.append(error or "")
    with db.transaction() as session:
        notice = session.get(Notice, notice_id)
        notice.status = "sent" if not outcome.failed else "partial"
    log.info("notice %s: %d sent, %d failed", notice_id, outcome.sent, outcome.failed)


def _multicast(api, batch: NoticeBatch, text: str) -> tuple[str, str | None, int]:
    request = MulticastRequest.from_dict(
        {"to": batch.to, "messages": [{"type": "text", "text": text}]}
    )
    error = None
    for attempt in range(1, TRIES + 1):
        try:
            api.multicast_with_http_info(
                request, x_line_retry_key=batch.retry_key, _request_timeout=TIMEOUT
            )
            return "sent", None, attempt
        except ApiException as exc:
            if exc.status == 409:  # LINE already took this batch (an earlier try got through)
                return "sent", None, attempt
            error = f"HTTP {exc.status}"
            if exc.status != 429 and exc.status < 500:
                return "failed", error, attempt
        except TransportError as exc:
            error = f"transport: {type(exc).__name__}"
        if attempt < TRIES:
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    return "failed", error, TRIES
