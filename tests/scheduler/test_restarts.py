"""A tick killed halfway, run again, or run by hand: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.__main__ import cli
from bot.i18n import Translator
from bot.scheduler import tick as tick_module
from bot.scheduler.lease import mark_ticked
from bot.scheduler.models import ReminderSent
from bot.storage.models import OutboxMessage
from tests.scheduler.conftest import Clockwork, jst, reference, section


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def _two_people_told(clock: Clockwork) -> int:
    """A note unclaimed on Tuesday: the basic specialist of its area and the MCH one (every
    area) get a digest; the basic specialist of another area does not (issue #9: scope)."""
    return clock.file(jst(2027, 1, 8, 15))


def _reminder_rows(clock: Clockwork) -> int:
    with clock.db.reading() as session:
        return session.scalar(select(func.count()).select_from(ReminderSent))


def _mornings_done(clock: Clockwork) -> list[date]:
    with clock.db.reading() as session:
        return sorted(
            session.scalars(select(ReminderSent.due_on).where(ReminderSent.kind == "morning"))
        )


def test_a_tick_killed_while_writing_a_morning_leaves_nothing_and_the_next_sends_all_once(
    clock: Clockwork, monkeypatch
):
    case = _two_people_told(clock)
    written = []
    real = tick_module.enqueue

    def dies_on_the_second_push(*args, **kwargs):
        written.append(args[1])
        if len(written) == 2:
            raise Killed()
        return real(*args, **kwargs)

    monkeypatch.setattr(tick_module, "enqueue", dies_on_the_second_push)
    with pytest.raises(Killed):
        clock.tick(jst(2027, 1, 12, 9))
    assert _reminder_rows(clock) == 0  # the morning's transaction was rolled back whole
    assert not any(p.replies() for p in clock.cast.everyone())

    monkeypatch.setattr(tick_module, "enqueue", real)
    clock.tick(jst(2027, 1, 12, 9, 1))
    clock.tick(jst(2027, 1, 12, 9, 2))
    for person in (clock.cast.basic, clock.cast.mch):
        (digest,) = person.replies()
        assert reference(case) in digest["text"]
    assert not clock.cast.basic_south.replies()


def test_a_tick_killed_between_two_missed_mornings_goes_on_from_there(
    clock: Clockwork, monkeypatch
):
    cases = []
    for day in (date(2027, 1, 12), date(2027, 1, 13)):
        cases.append(clock.file(jst(2027, 1, 6, 10)))
        clock.claim(cases[-1], jst(2027, 1, 6, 11))
        clock.follow_up(cases[-1], day, jst(2027, 1, 7, 10))
    mark_ticked(clock.db, jst(2027, 1, 11, 12).astimezone(UTC))
    mornings = []
    real = tick_module.run_morning

    def dies_before_the_second(parts, day, now):
        mornings.append(day)
        if len(mornings) == 2:
            raise Killed()
        return real(parts, day, now)

    monkeypatch.setattr(tick_module, "run_morning", dies_before_the_second)
    with pytest.raises(Killed):
        clock.tick(jst(2027, 1, 13, 10))
    monkeypatch.setattr(tick_module, "run_morning", real)
    clock.tick(jst(2027, 1, 13, 10, 1))
    texts = [m["text"] for m in clock.cast.basic.replies()]
    follow_ups = [r for t in texts for r in map(reference, cases) if r in section(t, "Follow")]
    assert follow_ups == [reference(c) for c in cases]


def test_reminders_run_ticks_once_as_of_the_time_given(clock: Clockwork, monkeypatch):
    case = _two_people_told(clock)
    settings = clock.bot.tsunagu.settings
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(settings.instance_path))
    monkeypatch.setenv("PORT", str(settings.port))
    runner = CliRunner()
    first = runner.invoke(cli, ["reminders", "run", "--now", "2027-01-12T09:00+09:00"])
    assert first.exit_code == 0, first.output
    assert "3 reminders over 1 business mornings" not in first.output  # keys, not pushes:
    assert "1 reminders over 1 business mornings" in first.output  # one unclaimed note
    again = runner.invoke(cli, ["reminders", "run", "--now", "2027-01-12T09:00"])  # JST
    assert "0 reminders over 0 business mornings" in again.output
    clock.at(jst(2027, 1, 12, 9))
    clock.bot.settle()
    (digest,) = clock.cast.basic.replies()
    assert reference(case) in digest["text"]

    bad = runner.invoke(cli, ["reminders", "run", "--now", "next tuesday"])
    assert bad.exit_code != 0 and "ISO 8601" in bad.output


def _spawn_tick(settings, moment: str, output=subprocess.DEVNULL) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "BOT_INSTANCE_PATH": str(settings.instance_path),
        "PORT": str(settings.port),
        "BOT_QUIET_HOURS": "none",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "reminders", "run", "--now", moment],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def test_a_clock_process_killed_mid_tick_and_restarted_loses_and_doubles_nothing(
    clock: Clockwork,
):
    """Real processes, SIGKILLed at different points of a tick over many due follow-ups."""
    from bench.clock import seed_cases

    with clock.db.reading() as session:
        people = {
            "basic": [clock.user(session, clock.cast.basic.user_id).id],
            "mch": [clock.user(session, clock.cast.mch.user_id).id],
        }
    seed_cases(clock.db, 6000, date(2027, 1, 12), people)
    mark_ticked(clock.db, jst(2027, 1, 4, 12).astimezone(UTC))  # six mornings to catch up
    settings = clock.bot.tsunagu.settings
    with clock.db.reading() as session:
        before = session.scalar(select(func.max(OutboxMessage.id)))
    # Watch the database and SIGKILL the process as soon as a morning is committed: the kill
    # lands inside the tick, with mornings still to go.
    kills = []
    while len(kills) < 3:
        process = _spawn_tick(settings, "2027-01-12T09:00+09:00")
        done = len(_mornings_done(clock))
        while process.poll() is None and len(_mornings_done(clock)) == done:
            time.sleep(0.005)
        process.kill()
        if process.wait() == 0:
            break
        kills.append(len(_mornings_done(clock)))
    assert kills and all(0 < n < 6 for n in kills), kills
    finished = _spawn_tick(settings, "2027-01-12T09:00+09:00", subprocess.PIPE)
    output = finished.communicate(timeout=120)[0]
    assert finished.returncode == 0, output

    with clock.db.reading() as session:
        keys = session.execute(
            select(ReminderSent.kind, ReminderSent.subject_id, ReminderSent.due_on)
        ).all()
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id > before)).all()
    assert _mornings_done(clock) == [date(2027, 1, d) for d in (4, 5, 6, 7, 8, 12)]
    # One digest per person per morning (none doubled), and one for every morning (none lost:
    # a morning's keys and its pushes commit together).
    headers = Counter()
    for row in rows:
        for message in row.messages:
            headers[(row.to, message.get("text", "").split("\n")[0])] += 1
    assert headers and all(n == 1 for n in headers.values())
    english = Translator("en")
    for day in _mornings_done(clock):
        heading = english.gettext(
            "Good morning. Your reminders for {day}:",
            day=english.date(jst(day.year, day.month, day.day)),
        )
        assert any(h == heading for _, h in headers), heading
    assert len(keys) == len(set(keys))
