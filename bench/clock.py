"""Clock benchmark: one tick over many open cases (default 100,000), its time and memory.

Seeds a fresh database (SQLite file by default) with staff and open cases spread the way a
city's are: every stage and area, follow-up dates over the coming year, most cases touched in
the last three weeks, a few unclaimed, 40 % led by the MCH type with a birth month, referrals
waiting for providers. Then, as of a business morning, it times:

* the morning tick (every job decides what is due and writes the digests to the outbox);
* the same tick again (everything already decided: nothing is written);
* a tick later that day (what the scheduler does every minute).

    python bench/clock.py [--cases 100000] [--database-url URL] [--json] [--trace-memory]

Target: the morning tick under 2 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # ``python bench/clock.py`` puts bench/, not the project, first
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bench import webhook as bench_db  # noqa: E402
from bot.calendar import QuietHours  # noqa: E402
from bot.cases.models import Case, ConcernNote, Referral, Staff  # noqa: E402
from bot.city import load_city  # noqa: E402
from bot.config import SAMPLE_CITY  # noqa: E402
from bot.i18n import TOKYO  # noqa: E402
from bot.scheduler.models import ReminderSent  # noqa: E402
from bot.scheduler.tick import ClockParts, tick  # noqa: E402
from bot.storage import crypto  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import LineUser, OutboxMessage  # noqa: E402
from bot.vocabulary import Stage, lead_type_for  # noqa: E402

AREAS = ("kita", "minami", "higashi", "nishi", "chuo")
MORNING = datetime(2027, 1, 12, 9, 0, tzinfo=TOKYO)  # a Tuesday after 成人の日
BATCH = 5000


def seed_staff(db: Database, per_type: int = 10) -> dict[str, list[int]]:
    """Specialists of both types in every area, two admins, members of four providers."""
    people: dict[str, list[int]] = {"basic": [], "mch": [], "admin": [], "member": []}
    with db.transaction() as session:
        for kind in ("basic", "mch"):
            for i in range(per_type):
                people[kind].append(_person(session, "specialist", kind, AREAS[i % len(AREAS)]))
        people["admin"] = [_person(session, "admin", None, None) for _ in range(2)]
        people["member"] = [
            _person(session, "member", None, AREAS[i % 5], org=f"provider-{i % 4}")
            for i in range(8)
        ]
    return people


def _person(session, role: str, kind: str | None, area: str | None, org: str = "") -> int:
    user = LineUser(line_user_id="U" + random.randbytes(16).hex(), role=role, language="ja")
    session.add(user)
    session.flush()
    session.add(Staff(user_id=user.id, role=role, specialist_type=kind, org=org, area=area))
    return user.id


def seed_cases(
    db: Database, n: int, today: date, people: dict[str, list[int]], seed: int = 5
) -> None:
    """n open cases (notes and cases, in batches), and referrals for one in twenty."""
    rng = random.Random(seed)
    start = datetime.combine(today, datetime.min.time(), TOKYO).astimezone(UTC)
    with db.transaction() as session:
        first_note = (session.scalar(select(func.max(ConcernNote.id))) or 0) + 1
    for lo in range(0, n, BATCH):
        notes, cases, referrals = [], [], []
        for i in range(lo, min(n, lo + BATCH)):
            stage = rng.choice(list(Stage))
            kind = lead_type_for(stage)
            unclaimed = rng.random() < 0.02
            lead = rng.choice(people[kind])
            touched = start - timedelta(days=rng.uniform(0, 21))
            born = today - timedelta(days=rng.randint(-200, 330)) if kind == "mch" else None
            notes.append(
                {
                    "id": first_note + i,
                    "text": "bench",
                    "stage": stage,
                    "birth_month": born.strftime("%Y-%m") if born else None,
                    "area": rng.choice(AREAS),
                    "urgency": rng.choice(("normal", "normal", "soon", "urgent")),
                    "legal_basis": "consent",
                    "created_at": touched - timedelta(days=rng.uniform(0, 200)),
                }
            )
            note = notes[-1]
            cases.append(
                {
                    "id": first_note + i,
                    "note_id": note["id"],
                    "stage": stage,
                    "area": note["area"],
                    "urgency": note["urgency"],
                    "lead_type": kind,
                    "lead_id": lead,
                    "assignee_id": None if unclaimed else lead,
                    "status": "new" if unclaimed else "open",
                    "follow_up_on": today + timedelta(days=rng.randint(0, 365))
                    if rng.random() < 0.6
                    else None,
                    "created_at": note["created_at"],
                    "claimed_at": None if unclaimed else note["created_at"],
                    "updated_at": touched,
                }
            )
            if rng.random() < 0.05:
                referrals.append(
                    {
                        "case_id": note["id"],
                        "org": f"provider-{rng.randrange(4)}",
                        "requested_by": lead,
                        "status": "requested" if rng.random() < 0.3 else "accepted",
                        "created_at": touched,
                    }
                )
        with db.transaction() as session:
            session.execute(insert(ConcernNote), notes)
            session.execute(insert(Case), cases)
            if referrals:
                session.execute(insert(Referral), referrals)


def parts_for(db: Database) -> ClockParts:
    city = load_city(SAMPLE_CITY)
    return ClockParts(
        db=db,
        city=city,
        calendar=city.calendar,
        quiet=QuietHours(datetime.min.time().replace(hour=20), datetime.min.time().replace(hour=8)),
    )


def timed(parts: ClockParts, moment: datetime, trace: bool) -> dict:
    """One tick: its time, and the growth of the process's peak RSS (or, with ``trace``, the
    peak of Python's allocations, which slows the tick down several times)."""
    if trace:
        tracemalloc.start()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    done = tick(parts, moment.astimezone(UTC))
    result = {"seconds": round(time.perf_counter() - began, 3), **done}
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss
    result["peak_rss_growth_mb"] = round(grown / 1024, 1)
    if trace:
        result["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--morning",
        default=MORNING.isoformat(),
        help="the business morning to tick as of (a month's first one scans every MCH case)",
    )
    parser.add_argument("--trace-memory", action="store_true", help="tracemalloc (slower)")
    args = parser.parse_args()
    morning = datetime.fromisoformat(args.morning)

    crypto.use_keys(crypto.new_key())
    tmp = tempfile.mkdtemp(prefix="tsunagu-clock-")
    # PostgreSQL: a schema of its own, dropped after (it once ticked over another run's rows).
    fresh = bench_db.prepare_database(args.database_url, Path(tmp))
    try:
        measure(args, fresh.url, morning)
    finally:
        bench_db.drop_database(fresh)


def measure(args, url: str, morning: datetime) -> None:
    upgrade(url)
    db = Database(url)
    began = time.perf_counter()
    people = seed_staff(db)
    seed_cases(db, args.cases, morning.date(), people)
    seeded = time.perf_counter() - began
    parts = parts_for(db)

    # Time the untimed reads' first cost (imports, connection) out of the measured ticks.
    tick(parts, (morning - timedelta(days=1, hours=2)).astimezone(UTC))
    results = {
        "cases": args.cases,
        "morning": morning.isoformat(),
        "database": db.engine.dialect.name,
        "seed_seconds": round(seeded, 1),
        "morning_tick": timed(parts, morning, args.trace_memory),
        "same_tick_again": timed(parts, morning, args.trace_memory),
        "tick_later_that_day": timed(parts, morning + timedelta(minutes=1), args.trace_memory),
    }
    with db.reading() as session:
        results["reminders_sent"] = session.scalar(select(func.count()).select_from(ReminderSent))
        results["outbox_rows"] = session.scalar(select(func.count()).select_from(OutboxMessage))
    results["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    db.dispose()
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    for key, value in results.items():
        print(f"{key:22} {value}")


if __name__ == "__main__":
    main()
