"""Two clock processes (``python -m bot clock``) on one database: one leads at a time, each
reminder goes once; the leader SIGKILLed, the other takes over within the lease time and
nothing is lost or doubled; a clock stopped cleanly gives the lease up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.calendar import local_day
from bot.cases import intake, workflow
from bot.cases.models import Case
from bot.intents import FileNote
from bot.scheduler.lease import holder_now, mark_ticked
from bot.scheduler.models import ReminderSent
from bot.storage.models import LineUser, OutboxMessage
from tests.cases.conftest import BASIC, MEMBER, Cast
from tests.scheduler.conftest import reference, section


def _user(session, line_id: str) -> LineUser:
    return session.scalar(select(LineUser).where(LineUser.line_user_id == line_id))


def _start_clock(settings, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "BOT_INSTANCE_PATH": str(settings.instance_path),
        "PORT": str(settings.port),  # local mode: deliver to this test's Messaging API double
        "BOT_QUIET_HOURS": "none",
        "BOT_CLOCK_TICK_SECONDS": "1",  # lease: 3 s
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "clock"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_clocks_send_each_reminder_once_and_the_survivor_takes_over(bot, tmp_path):
    cast = Cast(bot)
    db, settings = bot.tsunagu.db, bot.tsunagu.settings
    city = bot.tsunagu.city
    calendar = city.calendar
    now = datetime.now(UTC)
    # The clocks run on the real time: they catch up the business mornings of the last two
    # weeks, each with a follow-up due.
    days = [local_day(now) - timedelta(days=n) for n in range(14, -1, -1)]
    days = [d for d in days if calendar.is_business_day(d) and calendar.morning_of(d) <= now]
    cases = []
    with db.transaction() as session:
        for day in days:
            note = FileNote("x", "age1_2", "kita", "normal", "consent")
            case = intake.file_note(session, _user(session, MEMBER), note, now, city)
            workflow.claim(session, case, _user(session, BASIC), now)
            case.follow_up_on = day
            cases.append(case.id)
    bot.settle()
    for person in cast.everyone():
        person.replies()
    mark_ticked(db, now - timedelta(days=15))

    logs = [open(tmp_path / f"clock-{i}.log", "w") for i in range(2)]  # noqa: SIM115
    clocks = [_start_clock(settings, log) for log in logs]
    try:

        def every_follow_up_heard():
            texts = [m.message.get("text", "") for m in bot.double.messages_for(BASIC)]
            heard = [
                r for t in texts for r in map(reference, cases) if r in section(t, "Follow-ups due")
            ]
            return heard if len(heard) >= len(cases) else None

        heard = _wait_for(every_follow_up_heard, 30, "the follow-ups")
        assert sorted(heard) == sorted(map(reference, cases))  # each once

        holder = _wait_for(lambda: holder_now(db), 5, "a leader")[0]
        leader = next(c for c in clocks if f":{c.pid}:" in holder)
        survivor = next(c for c in clocks if c is not leader)
        leader.send_signal(signal.SIGKILL)
        leader.wait()

        # Work that only the survivor can do now: a push LINE refused, to report to admins.
        with db.transaction() as session:
            session.add(
                OutboxMessage(
                    to="U" + "9" * 32,
                    messages=[{"type": "text", "text": "-"}],
                    status="dead",
                    last_error="HTTP 400: test",
                )
            )
        report = _wait_for(
            lambda: [
                m
                for m in bot.double.messages_for(cast.admin.user_id)
                if "could not be delivered" in m.message.get("text", "")
            ],
            15,
            "the survivor's report",
        )
        assert f":{survivor.pid}:" in holder_now(db)[0]
        time.sleep(3)  # a few more ticks: nothing more is sent
        assert (
            len(report)
            == 1
            == len(
                [
                    m
                    for m in bot.double.messages_for(cast.admin.user_id)
                    if "could not be delivered" in m.message.get("text", "")
                ]
            )
        )
        texts = [m.message.get("text", "") for m in bot.double.messages_for(BASIC)]
        again = [
            r for t in texts for r in map(reference, cases) if r in section(t, "Follow-ups due")
        ]
        assert sorted(again) == sorted(map(reference, cases))
        with db.reading() as session:
            keys = session.execute(
                select(ReminderSent.kind, ReminderSent.subject_id, ReminderSent.due_on)
            ).all()
            assert len(keys) == len(set(keys))
            assert session.scalar(
                select(func.count())
                .select_from(ReminderSent)
                .where(ReminderSent.kind == "followup")
            ) == len(cases)
            assert session.scalar(select(func.count()).select_from(Case)) == len(cases)

        # A clean stop gives the lease up at once.
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(10) == 0
        assert holder_now(db)[1] <= datetime.now(UTC)
    finally:
        for process in clocks:
            if process.poll() is None:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
