"""Helpers for the clock's tests: frozen time (time-machine), cases filed and changed at chosen
moments, and ticks as of a moment followed by delivery to the Messaging API double."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from bot.cases import intake, workflow
from bot.cases.models import Case
from bot.i18n import TOKYO
from bot.intents import FileNote
from bot.scheduler.tick import ClockParts, tick
from bot.storage.models import LineUser, OutboxMessage
from tests.cases.conftest import ADMIN, BASIC, MCH, MEMBER, Cast


def jst(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=TOKYO)


class Clockwork:
    """The cast of tests.cases, a frozen clock, and the tick."""

    def __init__(self, bot, traveller):
        self.bot = bot
        self.traveller = traveller
        self.db = bot.tsunagu.db
        self.city = bot.tsunagu.city
        self.parts = ClockParts.of(bot.tsunagu)
        self.cast = Cast(bot)

    @contextmanager
    def session(self):
        with self.db.transaction() as session:
            yield session

    def at(self, moment: datetime) -> None:
        self.traveller.move_to(moment)

    def tick(self, moment: datetime, deliver: bool = True) -> Counter:
        """The clock ticks as of `moment` (the wall clock is moved there too), then delivery."""
        self.at(moment)
        done = tick(self.parts, moment.astimezone(UTC))
        if deliver:
            self.bot.settle()
        return done

    def user(self, session, line_id: str) -> LineUser:
        return session.scalar(select(LineUser).where(LineUser.line_user_id == line_id))

    def file(
        self,
        when: datetime,
        stage: str = "age1_2",
        urgency: str = "normal",
        birth_month: str | None = None,
        area: str = "kita",
    ) -> int:
        """A member files a note at `when`; the routing pushes are delivered and forgotten."""
        self.at(when)
        with self.session() as session:
            note = FileNote("気になる家庭", stage, area, urgency, "consent", birth_month)
            case = intake.file_note(
                session, self.user(session, MEMBER), note, when.astimezone(UTC), self.city
            )
            case_id = case.id
        self.forget_pushes()
        return case_id

    def claim(self, case_id: int, when: datetime, by: str = BASIC) -> None:
        self.at(when)
        with self.session() as session:
            case = session.get(Case, case_id)
            assert workflow.claim(session, case, self.user(session, by), when.astimezone(UTC))
        self.forget_pushes()

    def follow_up(self, case_id: int, day: date, when: datetime, by: str = BASIC) -> None:
        self.at(when)
        with self.session() as session:
            case = session.get(Case, case_id)
            workflow.set_follow_up(session, case, self.user(session, by), day, when.astimezone(UTC))

    def forget_pushes(self) -> None:
        self.bot.settle()
        for person in self.cast.everyone():
            person.replies()

    def outbox_to(self, line_id: str, since: datetime) -> list[OutboxMessage]:
        """The rows queued for someone from a moment on."""
        with self.db.reading() as session:
            return list(
                session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.to == line_id, OutboxMessage.created_at >= since)
                    .order_by(OutboxMessage.id)
                )
            )


def reference(case_id: int) -> str:
    return f"K-{case_id:04d}"


def section(text: str, heading: str) -> str:
    """The lines of a digest under the heading that begins with `heading`."""
    for part in text.split("■ ")[1:]:
        if part.startswith(heading):
            return part
    return ""


@pytest.fixture
def clock(bot):
    # A Thursday before the 成人の日 weekend; each test moves the frozen clock where it needs.
    with time_machine.travel(jst(2027, 1, 7, 10), tick=True) as traveller:
        yield Clockwork(bot, traveller)


__all__ = ["ADMIN", "BASIC", "MCH", "MEMBER", "Clockwork", "jst", "reference", "section"]
