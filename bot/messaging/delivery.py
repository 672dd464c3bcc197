"""Delivering the outbox: reply while the token is fresh, push otherwise; retry, back off, give up.

Every row is claimed under a lease before it is sent, so two processes never send the same row.
A push carries the row's X-Line-Retry-Key, stored when the row was written: if we die after LINE
accepted it but before we marked it sent, the next try gets 409 from LINE and nothing is sent twice.
A reply has no retry key, so a reply that was on the wire when we died is not sent again
(it is marked ``unconfirmed``): one possibly missing answer is better than a doubled one. A row
is marked as on the wire just before its own reply goes, not when its batch is claimed, so a
death mid-batch leaves the rows not yet tried to be sent later.

A reply that failed in a way that leaves its fate unknown (a 5xx, a timeout) is tried again as
the same reply while its token is fresh: a token works once, so if the first try did arrive,
LINE refuses the second as an invalid token — which then tells us the answer was delivered.
Only once the token is too old does the answer go by push.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from linebot.v3.messaging import (
    MarkMessagesAsReadByTokenRequest,
    MessagingApi,
)
from linebot.v3.messaging.exceptions import ApiException
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value
from urllib3.exceptions import HTTPError as TransportError

from bot.messaging.wire import push_request, reply_request
from bot.storage.db import Database
from bot.storage.models import OutboxMessage

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_TRANSIENT_ATTEMPTS = 10
MAX_THROTTLED_ATTEMPTS = 30
BACKOFF_CAP = timedelta(minutes=15)
TIMEOUT = (3.0, 10.0)  # connect, read (seconds)
BATCH = 32  # rows claimed at once


@dataclass
class Attempt:
    """What one try came to: sent, retry later (when), or dead."""

    outcome: str  # "sent" | "retry" | "dead" | "reply_rejected"
    error: str | None = None
    retry_after: float | None = None
    via: str | None = None
    replied: bool = False  # a reply that may have reached LINE: the next try replies again
    forget_token: bool = False  # LINE refused the token: later tries push


class Deliverer:
    def __init__(
        self,
        db: Database,
        api: MessagingApi,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        base_delay: float = 2.0,
    ):
        self.db = db
        self.api = api
        self.now = now
        self.base_delay = base_delay

    # ------------------------------------------------------------ claiming

    def claim(self, limit: int = BATCH) -> list[OutboxMessage]:
        now = self.now()
        due = or_(
            and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
            # A lease run out means the sender died mid-send: the row is ours to finish.
            and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
        )
        # Look before locking: an idle poll must not take SQLite's write lock.
        with self.db.reading() as session:
            if session.scalar(select(OutboxMessage.id).where(due).limit(1)) is None:
                return []
        with self.db.transaction() as session:
            # The messages are read after the claim commits: decrypting and parsing a batch's
            # cards (about 15 ms for 32 answers) held SQLite's one write lock, which handling
            # and the webhook's stores wait for.
            query = (
                select(OutboxMessage)
                .options(defer(OutboxMessage.messages), defer(OutboxMessage.instead))
                .where(due)
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
            if not self.db.is_sqlite:
                query = query.with_for_update(skip_locked=True)
            claimed = []
            for row in session.scalars(query).all():
                if row.status == "sending" and row.reply_in_flight:
                    # We died while a reply was on the wire: it may have arrived, and a reply
                    # has no retry key, so it is not sent again.
                    row.status, row.lease_until = "unconfirmed", None
                    row.last_error = "reply outcome unknown after a crash"
                    log.warning("outbox %s: reply in flight at a crash; not sent again", row.id)
                    continue
                row.status = "sending"
                row.lease_until = now + LEASE
                row.attempts += 1
                claimed.append(row)
        if claimed:
            self._read_messages(claimed)
        return claimed

    def _read_messages(self, rows: list[OutboxMessage]) -> None:
        """The claimed rows' messages, read with no write lock (they are ours: leased)."""
        with self.db.reading() as session:
            found = {
                row_id: (messages, instead)
                for row_id, messages, instead in session.execute(
                    select(OutboxMessage.id, OutboxMessage.messages, OutboxMessage.instead).where(
                        OutboxMessage.id.in_([row.id for row in rows])
                    )
                )
            }
        for row in rows:
            messages, instead = found[row.id]
            set_committed_value(row, "messages", messages)
            set_committed_value(row, "instead", instead)

    def backlog(self, at_most: int) -> int:
        """How many rows are due now (counted up to ``at_most``)."""
        now = self.now()
        due = select(OutboxMessage.id).where(
            OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now
        )
        with self.db.reading() as session:
            return session.scalar(select(func.count()).select_from(due.limit(at_most).subquery()))

    def _will_reply(self, row: OutboxMessage, now: datetime) -> bool:
        return bool(row.reply_token and row.reply_deadline and now < row.reply_deadline)

    # ------------------------------------------------------------ sending

    def deliver_due(self, limit: int = BATCH) -> int:
        """Send what is due; return how many rows were settled (sent, dead or rescheduled).

        The batch is claimed in one transaction and sent one row at a time, in id order (one
        person's messages go in order, and at most one reply is ever on the wire unrecorded).
        The outcomes are written together: with the next reply's in-flight mark, which must be
        written anyway just before that reply goes, or at the end of the batch.
        """
        rows = self.claim(limit)
        settled: list[tuple[int, dict]] = []
        started = time.monotonic()
        for i, row in enumerate(rows):
            if time.monotonic() - started > LEASE.total_seconds() / 3:
                # LINE is slow today: give back what was not tried, well before the lease ends.
                back = {"status": "pending", "lease_until": None}
                settled += [(r.id, back | {"attempts": r.attempts - 1}) for r in rows[i:]]
                rows = rows[:i]
                break
            attempt = self._send(row, settled)
            settled.append((row.id, self._settle(row, attempt)))
        if settled:
            self._write(settled)
        return len(rows)

    def _write(self, settled: list[tuple[int, dict]], in_flight: int | None = None) -> None:
        # Rows settled alike (sent, as most are) go in one executemany of one statement, on the
        # table: an ORM UPDATE per row built, compiled and synchronised a statement each time
        # (about a third of delivering an answer: docs/benchmarks.md).
        alike: dict[tuple[str, ...], list[dict]] = {}
        for row_id, values in settled:
            alike.setdefault(tuple(sorted(values)), []).append(_params(values) | {"b_id": row_id})
        with self.db.transaction() as session:
            for keys, params in alike.items():
                session.execute(_settle_statement(keys), params)
            if in_flight is not None:
                session.execute(_IN_FLIGHT, {"b_id": in_flight})
        settled.clear()

    def _send(self, row: OutboxMessage, settled: list | None = None) -> Attempt:
        """One row's try. ``settled``: outcomes not yet written, written with the in-flight mark
        if this row is a reply (one transaction instead of two)."""
        if row.kind == "richmenu":
            return self._link_menu(row)
        if row.kind == "read":
            return self._mark_read(row)
        # Someone's words (``instead`` set) never go in a push: the substitute goes.
        pushed = row.instead if row.instead is not None else row.messages
        if not self._will_reply(row, self.now()):
            return self._push(row, pushed)
        tried_before = row.reply_in_flight  # an earlier reply of this row may have arrived
        if not tried_before:
            # Written just before the reply goes: if we die from here on, nobody can know
            # whether it arrived, and it is not sent again (see claim).
            self._write(settled if settled is not None else [], in_flight=row.id)
        attempt = self._reply(row)
        if attempt.outcome != "reply_rejected":
            # Once a try may have arrived, it stays so: a later 429 does not make it certain.
            return replace(attempt, replied=attempt.replied or tried_before)
        if tried_before:
            # Refused for its token while the token is still fresh: an earlier try used it.
            return Attempt("sent", via="reply")
        # The token was unknown or too old: push instead, now, and forget the token.
        return replace(self._push(row, pushed), forget_token=True)

    def _reply(self, row: OutboxMessage) -> Attempt:
        request = reply_request(row.reply_token, row.messages)
        try:
            self.api.reply_message_with_http_info(request, _request_timeout=TIMEOUT)
            return Attempt("sent", via="reply")
        except ApiException as exc:
            if exc.status == 400 and "reply token" in _line_error(exc.body).lower():
                return Attempt("reply_rejected")
            attempt = self._judge(exc)
            # A 5xx may have been delivered all the same (a 429 was not).
            return replace(attempt, replied=attempt.outcome == "retry" and exc.status != 429)
        except TransportError as exc:
            return Attempt("retry", f"transport: {type(exc).__name__}", replied=True)

    def _push(self, row: OutboxMessage, messages: list) -> Attempt:
        # Someone's words (``instead`` set) never go in a push: the substitute goes.
        request = push_request(row.to, messages)
        try:
            self.api.push_message_with_http_info(
                request, x_line_retry_key=row.retry_key, _request_timeout=TIMEOUT
            )
            return Attempt("sent", via="push")
        except ApiException as exc:
            if exc.status == 409:  # LINE already accepted a push with this retry key
                return Attempt("sent", via="push")
            return self._judge(exc)
        except TransportError as exc:
            return Attempt("retry", f"transport: {type(exc).__name__}")

    def _link_menu(self, row: OutboxMessage) -> Attempt:
        from bot.messaging.richmenu import menu_id_by_name

        try:
            menu_id = menu_id_by_name(self.api, row.messages[0]["menu"])
            if menu_id is None:
                return Attempt(
                    "dead", "rich menus are not deployed (python -m bot richmenu deploy)"
                )
            self.api.link_rich_menu_id_to_user(row.to, menu_id, _request_timeout=TIMEOUT)
            return Attempt("sent", via="link")
        except ApiException as exc:
            return self._judge(exc)
        except TransportError as exc:
            return Attempt("retry", f"transport: {type(exc).__name__}")

    def _mark_read(self, row: OutboxMessage) -> Attempt:
        request = MarkMessagesAsReadByTokenRequest(markAsReadToken=row.messages[0]["token"])
        try:
            self.api.mark_messages_as_read_by_token(request, _request_timeout=TIMEOUT)
            return Attempt("sent", via="read")
        except ApiException as exc:
            return self._judge(exc)
        except TransportError as exc:
            return Attempt("retry", f"transport: {type(exc).__name__}")

    def _judge(self, exc: ApiException) -> Attempt:
        status = exc.status or 0
        error = f"HTTP {status}: {_line_error(exc.body)}"
        if status == 429:
            retry_after = _header(exc.headers, "Retry-After")
            return Attempt(
                "retry",
                error,
                retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
            )
        if status >= 500 or status == 0:
            return Attempt("retry", error)
        return Attempt("dead", error)

    # ------------------------------------------------------------ settling

    def _settle(self, row: OutboxMessage, attempt: Attempt) -> dict:
        """The row's new values after ``attempt`` (written with the rest of its wave)."""
        now = self.now()
        values: dict = {"lease_until": None, "reply_in_flight": False}
        if attempt.outcome == "sent":
            values |= {
                "status": "sent",
                "sent_at": now,
                "sent_via": attempt.via,
                "last_error": None,
            }
        elif attempt.outcome == "dead" or row.attempts >= self._limit(attempt):
            values |= {"status": "dead", "last_error": (attempt.error or "")[:200]}
            log.error(
                "outbox %s dead-lettered after %d attempts: %s", row.id, row.attempts, attempt.error
            )
        else:
            values |= {
                "status": "pending",
                "last_error": (attempt.error or "")[:200],
                "next_attempt_at": now + self._delay(row.attempts, attempt),
                # While the token is fresh the next try replies again (see the module's note).
                "reply_in_flight": attempt.replied,
            }
            if attempt.forget_token:
                values["reply_token"] = None
            log.warning(
                "outbox %s attempt %d failed (%s); retrying", row.id, row.attempts, attempt.error
            )
        return values

    def _limit(self, attempt: Attempt) -> int:
        throttled = attempt.error and attempt.error.startswith("HTTP 429")
        return MAX_THROTTLED_ATTEMPTS if throttled else MAX_TRANSIENT_ATTEMPTS

    def _delay(self, attempts: int, attempt: Attempt) -> timedelta:
        if attempt.retry_after is not None:
            return timedelta(seconds=attempt.retry_after)
        factor = 8 if attempt.error and attempt.error.startswith("HTTP 429") else 1
        seconds = self.base_delay * factor * 2 ** (attempts - 1)
        seconds *= random.uniform(0.8, 1.2)  # jitter, so retries from many rows spread out
        return min(timedelta(seconds=seconds), BACKOFF_CAP)


_OUTBOX = OutboxMessage.__table__
_IN_FLIGHT = update(_OUTBOX).where(_OUTBOX.c.id == bindparam("b_id")).values(reply_in_flight=True)


@functools.cache
def _settle_statement(keys: tuple[str, ...]):
    """UPDATE of these columns of one row by id; bound by name (``_params``), built once."""
    return (
        update(_OUTBOX)
        .where(_OUTBOX.c.id == bindparam("b_id"))
        .values({key: bindparam("b_" + key, type_=_OUTBOX.c[key].type) for key in keys})
    )


def _params(values: dict) -> dict:
    return {"b_" + key: value for key, value in values.items()}


def _header(headers, name: str) -> str | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _line_error(body) -> str:
    """LINE's error message (never ours to fill with user text: it names fields, not values)."""
    try:
        data = json.loads(body) if body else {}
        return str(data.get("message", ""))[:150]
    except (ValueError, TypeError, AttributeError):
        return ""
