"""The clock process (APScheduler 3). Jobs only decide what is due and write to the outbox;
delivery stays with the outbox. The follow-up, digest and escalation jobs come with issue #5.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import delete

from bot.storage.models import Conversation

log = logging.getLogger(__name__)


def expire_dialogs(tsunagu) -> int:
    """Forget dialogs abandoned past their expiry (the handlers also ignore them on read)."""
    with tsunagu.db.transaction() as session:
        result = session.execute(
            delete(Conversation).where(Conversation.expires_at <= datetime.now(UTC))
        )
        return result.rowcount or 0


class Clock:
    def __init__(self, tsunagu, blocking: bool = False):
        self.tsunagu = tsunagu
        kind = BlockingScheduler if blocking else BackgroundScheduler
        self.scheduler = kind(timezone="Asia/Tokyo")
        self.scheduler.add_job(
            expire_dialogs,
            "interval",
            minutes=5,
            args=[tsunagu],
            id="expire_dialogs",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=300,
        )
        # Retries that are due: the web processes deliver too, but a clock alone must not
        # leave them waiting.
        self.scheduler.add_job(
            tsunagu.runtime.deliver,
            "interval",
            seconds=30,
            id="outbox_redelivery",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=60,
            max_instances=1,
        )

    def start(self) -> None:
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
