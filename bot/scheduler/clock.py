"""The clock process (APScheduler 3). Jobs only decide what is due and write to the outbox;
delivery stays with the outbox.

Every clock beats: it takes or renews the lease row. Only the one holding the lease ticks (see
tick.py); the others wait, and take over within the lease time when the leader stops beating.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import delete

from bot.scheduler import lease
from bot.scheduler.tick import ClockParts, tick
from bot.storage.models import Conversation

log = logging.getLogger(__name__)

BEAT_MAX = 10.0  # seconds between lease renewals at most
LEASES_PER_BEAT = 3  # the lease outlives two missed beats


def expire_dialogs(tsunagu) -> int:
    """Forget dialogs abandoned past their expiry (the handlers also ignore them on read)."""
    with tsunagu.db.transaction() as session:
        result = session.execute(
            delete(Conversation).where(Conversation.expires_at <= datetime.now(UTC))
        )
        return result.rowcount or 0


class Clock:
    def __init__(self, tsunagu, blocking: bool = False, every: float | None = None):
        self.tsunagu = tsunagu
        self.parts = ClockParts.of(tsunagu)
        self.blocking = blocking
        self.holder = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.every = every or tsunagu.settings.clock_tick_seconds
        beat = min(self.every, BEAT_MAX)
        self.lease_time = timedelta(seconds=beat * LEASES_PER_BEAT)
        self.leading = False
        self._lock = threading.Lock()
        kind = BlockingScheduler if blocking else BackgroundScheduler
        self.scheduler = kind(timezone="Asia/Tokyo")
        jobs = (
            # A missed beat or tick is not run late: the next one covers it (tick catches up).
            ("clock_beat", self.beat, {"seconds": beat}, beat),
            ("clock_tick", self.run_tick, {"seconds": self.every}, self.every),
            ("expire_dialogs", expire_dialogs, {"minutes": 5}, 300),
            # Retries that are due: the web processes deliver too, but a clock alone must not
            # leave them waiting.
            ("outbox_redelivery", tsunagu.runtime.deliver, {"seconds": min(30, self.every)}, 60),
        )
        for job_id, func, interval, grace in jobs:
            if job_id == "clock_tick":  # the first tick at once: it catches up after downtime
                interval = {**interval, "next_run_time": datetime.now(UTC)}
            self.scheduler.add_job(
                func,
                "interval",
                args=[tsunagu] if func is expire_dialogs else [],
                id=job_id,
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=int(max(grace, 1)),
                max_instances=1,
                **interval,
            )

    def beat(self) -> bool:
        """Take or renew the lease; give up leading when that fails, whatever the reason."""
        with self._lock:
            try:
                leading = lease.acquire(
                    self.tsunagu.db, self.holder, datetime.now(UTC), self.lease_time
                )
            except Exception:
                log.exception("clock %s cannot renew its lease; not leading", self.holder)
                leading = False
            if leading != self.leading:
                log.info("clock %s %s", self.holder, "leads" if leading else "waits")
            self.leading = leading
            return leading

    def run_tick(self) -> None:
        if not self.beat():
            return
        done = tick(self.parts, datetime.now(UTC))
        if any(done.values()):
            log.info("tick: %s", dict(done))

    def start(self) -> None:
        if not self.blocking:
            self.scheduler.start()
            return
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: self.scheduler.shutdown(wait=False))
        try:
            self.scheduler.start()
        finally:
            self._release()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self._release()

    def _release(self) -> None:
        if self.leading:
            self.leading = False
            try:
                lease.release(self.tsunagu.db, self.holder, datetime.now(UTC))
            except Exception:  # it runs out by itself
                log.warning("could not release the clock lease", exc_info=True)
