"""CPU per answer, in one process: handling stored questions, then delivering their answers.

The flood (``bench/flood.py``) measures from outside, and on a shared machine its rates move
with everyone else's work. This measures the bot's own cost: the same parents' questions as the
flood, stored through the webhook's ingest, then handled (``Runtime.process_events``) and
delivered (``Runtime.deliver``, to the Messaging API double in its own process) by the calling
thread alone — CPU seconds of this process per question, which other work on the machine
hardly moves. ``--profile FILE`` writes cProfile's statistics of handling and delivering.

    python bench/handling.py [--questions 1000] [--database-url postgresql://…] [--profile F]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.flood import issue_tokens, questions  # noqa: E402
from bench.stack import stack  # noqa: E402
from bench.webhook import get_json  # noqa: E402
from bot.simulator.page import make_event  # noqa: E402


def measure(st, count: int, users: int, seed: int, profile: str | None) -> dict:
    os.environ.update(st.env)
    from bot import create_app

    app = create_app()
    tsunagu = app.extensions["tsunagu"]
    runtime = tsunagu.runtime
    rng = random.Random(seed)
    parents = ["U" + rng.randbytes(16).hex() for _ in range(users)]
    texts = questions(rng)

    def store(n: int, offset: int) -> None:
        who = [parents[(offset + i) % len(parents)] for i in range(n)]
        tokens = issue_tokens(st.double_url, who)
        for i in range(n):
            message = {
                "type": "text",
                "id": f"m{offset + i}",
                "text": texts[(offset + i) % len(texts)],
            }
            tsunagu.ingest.store([make_event(who[i], "message", tokens[i], message=message)])

    # Warm up: the knowledge index, the dictionary, the caches a running worker has.
    store(100, 0)
    runtime.drain()
    answered0 = get_json(st.stats_url)["answers"]
    store(count, 100)
    prof = cProfile.Profile() if profile else None
    cpu0, t0 = time.process_time(), time.monotonic()
    if prof:
        prof.enable()
    handled = runtime.process_events()
    cpu1, t1 = time.process_time(), time.monotonic()
    delivered = runtime.deliver()
    cpu2, t2 = time.process_time(), time.monotonic()
    if prof:
        prof.disable()
        prof.dump_stats(profile)
    answered = get_json(st.stats_url)["answers"] - answered0
    detail = get_json(st.stats_url + "?detail=1")
    runtime.stop()
    tsunagu.db.dispose()
    return {
        "database": st.database,
        "questions": count,
        "handled": handled,
        "delivered": delivered,
        "answered": answered,
        "handling_cpu_ms": round((cpu1 - cpu0) / max(handled, 1) * 1000, 2),
        "handling_wall_ms": round((t1 - t0) / max(handled, 1) * 1000, 2),
        "delivery_cpu_ms": round((cpu2 - cpu1) / max(delivered, 1) * 1000, 2),
        "delivery_wall_ms": round((t2 - t1) / max(delivered, 1) * 1000, 2),
        "double_problems": detail.get("problems"),
        "loadavg_1m": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default=None, help="write cProfile statistics here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with stack(args.database_url, web=0, clock=False, prefix="tsunagu-handling-") as st:
        result = measure(st, args.questions, args.users, args.seed, args.profile)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['database']}: {result['handled']} questions handled, "
            f"{result['delivered']} answers delivered ({result['answered']} at the double); "
            f"CPU per question: handling {result['handling_cpu_ms']} ms, delivering "
            f"{result['delivery_cpu_ms']} ms (wall {result['handling_wall_ms']} / "
            f"{result['delivery_wall_ms']} ms); double problems: "
            f"{result['double_problems'] or 'none'}; load average {result['loadavg_1m']:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
