"""One person's flood of messages, answered once and politely, at little cost to everyone else.

Handling is where the time goes (the danger check, search, dialogs), so the limit is applied
there, per sender: a token bucket over the times LINE stamped their messages and taps —
``BOT_FLOOD_LIMIT``, by default 10/30s: a burst of ten, then one every three seconds. Past that,
the first event held back gets one polite answer ("please wait a minute, then send the rest
again"), and the rest are set aside unread — a dictionary lookup, not a search — until the
bucket has refilled.

* A text that signals danger is never held back: the danger check still reads every held text.
* Follows, unfollows and group events are never counted or held.
* LINE's time, not ours, so a backlog handled in a rush (after downtime) is not mistaken for a
  flood; a timestamp far from now counts as now, so one odd event cannot lock a sender out.
* Each process keeps its own buckets (at most ``KEEP`` senders, the least recent dropped): with
  several processes handling, a sender gets at most that many times the rate.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.handlers.events import event_time
from bot.i18n import Translator, _
from bot.messaging.builders import text
from bot.messaging.outbox import enqueue
from bot.safety import assess
from bot.storage.models import get_or_create_user

log = logging.getLogger(__name__)

KEEP = 10_000
# A timestamp this far from the handling clock is not believed (seconds).
TRUSTED_SKEW = 24 * 3600

SLOW_DOWN = _(
    "That is a lot of messages at once. I have read the first ones; please wait a minute, "
    "then send the rest again."
)


@dataclass
class _Bucket:
    tokens: float
    last: float  # LINE's time of the last event counted, in seconds
    warned: bool = False


class FloodGuard:
    def __init__(self, burst: int, per_seconds: float):
        self.burst = burst
        self.refill_seconds = per_seconds / burst
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def holds_back(self, session: Session, event: dict, now: datetime) -> bool:
        """True when this event is set aside (answered politely the first time)."""
        source = event.get("source") or {}
        if event.get("type") not in ("message", "postback") or source.get("type") != "user":
            return False
        sender = source.get("userId")
        if not sender or self._take(sender, self._when(event, now)):
            return False
        message = event.get("message") or {}
        if message.get("type") == "text" and assess(message.get("text", "")) is not None:
            return False  # danger is answered whatever the rate
        with self._lock:
            bucket = self._buckets[sender]
            first, bucket.warned = not bucket.warned, True
        if first:
            user = get_or_create_user(session, sender)
            log.warning(
                "user %s is sending faster than we read; holding their next events", user.id
            )
            enqueue(
                session,
                sender,
                [text(Translator(user.language).gettext(SLOW_DOWN))],
                reply_token=event.get("replyToken"),
                event_time=event_time(event),
            )
        return True

    def _when(self, event: dict, now: datetime) -> float:
        clock = now.timestamp()
        stamped = event.get("timestamp")
        if isinstance(stamped, int) and abs(stamped / 1000 - clock) <= TRUSTED_SKEW:
            return stamped / 1000
        return clock

    def _take(self, sender: str, when: float) -> bool:
        """Count one event; False when the sender's bucket is empty."""
        with self._lock:
            bucket = self._buckets.pop(sender, None) or _Bucket(float(self.burst), when)
            self._buckets[sender] = bucket  # now the most recent
            while len(self._buckets) > KEEP:
                self._buckets.popitem(last=False)
            if when > bucket.last:
                refill = (when - bucket.last) / self.refill_seconds
                bucket.tokens = min(float(self.burst), bucket.tokens + refill)
                bucket.last = when
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                bucket.warned = False
                return True
            return False
