"""End to end under a mixed everyday-busy load: from the webhook call to the Messaging API call.

The Procfile's processes (``bench.stack``) take a steady ``--rate`` events a second for
``--seconds``: parents' free-text questions (60 %), taps on the parents' rich menu (20 %: the
guided search, this week's salons, asking a specialist, the language), and a network member's
concern notes (20 %: 「気になる」 and what they saw, which starts the note dialog; the member is
the simulator's seeded member). Every event carries a fresh reply token; the latency of an event
is from the moment its webhook call was sent to the moment the double received the reply that
used its token. Events are sent on a fixed schedule (not as fast as answers come back), by 8
connections.

    python bench/mixed.py [--rate 50] [--seconds 60] [--database-url …] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.flood import issue_tokens, merged_log_counts, questions  # noqa: E402
from bench.machine import Load, machine_info  # noqa: E402
from bench.stack import stack  # noqa: E402
from bench.webhook import get_json, percentile, status_counts  # noqa: E402
from bot.messaging.postback import Command, DialogEntry, MenuTap  # noqa: E402
from bot.simulator.page import PERSONAS, make_event, sign, webhook_body  # noqa: E402

MEMBER = next(uid for name, _label, uid in PERSONAS if name == "member")
TAPS = [
    DialogEntry("guide").pack(),
    MenuTap(Command.SALONS_WEEK).pack(),
    DialogEntry("consult").pack(),
    DialogEntry("language").pack(),
]
NOTES = [
    "気になる",
    "気になる サロンに来たお母さんがとても疲れている様子でした",
    "気になる 最近見かけない親子がいます",
]
SEED = (
    "from bot.city import load_city; from bot.config import load_settings;"
    "from bot.storage.db import open_database; from bot.simulator.staff import "
    "seed_simulator_staff; s = load_settings(); "
    "seed_simulator_staff(open_database(s.database_url, s.data_key), load_city(s.city_file))"
)


def events(n: int, rng: random.Random, parents: list[str]) -> list[tuple[str, str, dict]]:
    """(kind, user, event fields) for n events in the mix."""
    texts = questions(rng)
    out = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.6:
            msg = {"type": "text", "id": f"q{i}", "text": texts[i % len(texts)]}
            out.append(("question", rng.choice(parents), {"message": msg}))
        elif roll < 0.8:
            out.append(("tap", rng.choice(parents), {"postback": {"data": rng.choice(TAPS)}}))
        else:
            msg = {"type": "text", "id": f"n{i}", "text": rng.choice(NOTES)}
            out.append(("note", MEMBER, {"message": msg}))
    return out


def run(args: argparse.Namespace) -> dict:
    load = Load()
    with stack(
        args.database_url,
        workers=args.workers,
        web=args.web,
        prefix="tsunagu-mixed-",
        keep=args.keep,
        seed=SEED,
    ) as st:
        rng = random.Random(args.seed)
        parents = ["U" + rng.randbytes(16).hex() for _ in range(args.users)]
        n = int(args.rate * args.seconds)
        plan = events(n, rng, parents)
        # Warm every worker's knowledge index and the connection pools.
        warm = plan[:40]
        # Each event is made when it is due, with a token just issued (as LINE stamps and issues
        # them as the user speaks): a token or timestamp made in advance would age meanwhile.
        bodies = [(i, kind, user, fields) for i, (kind, user, fields) in enumerate(warm + plan)]
        token_of: dict[int, str] = {}
        send_at: dict[str, float] = {}
        status: dict[str, int] = {}
        lock = threading.Lock()

        def sender(items: list, start: float, rate: float, offset: int, step: int) -> None:
            ports = st.ports
            conns = [http.client.HTTPConnection("127.0.0.1", p, timeout=30) for p in ports]
            for j, (i, _kind, user, fields) in enumerate(items):
                due = start + (offset + j * step) / rate
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                [token] = issue_tokens(st.double_url, [user])
                kind = "message" if "message" in fields else "postback"
                body = webhook_body("Ubench" + "0" * 27, [make_event(user, kind, token, **fields)])
                signature = sign(st.secret, body)
                conn = conns[(offset + j * step) % len(conns)]
                t0 = time.time()
                try:
                    conn.request(
                        "POST",
                        "/callback",
                        body=body,
                        headers={
                            "Content-Type": "application/json; charset=utf-8",
                            "X-Line-Signature": signature,
                        },
                    )
                    resp = conn.getresponse()
                    resp.read()
                    code = resp.status
                except (OSError, http.client.HTTPException):
                    code = 0
                    conn.close()
                with lock:
                    token_of[i] = token
                    send_at[token] = t0
                    status[token] = code

        def send_all(items: list, rate: float) -> None:
            start = time.monotonic() + 0.2
            k = 8
            threads = [
                threading.Thread(target=sender, args=(items[i::k], start, rate, i, k))
                for i in range(k)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()

        send_all(bodies[: len(warm)], 20)
        time.sleep(3)
        base = get_json(st.stats_url)["answers"]
        load.mark("mixed")
        cpu0 = st.bot_cpu()
        send_all(bodies[len(warm) :], args.rate)
        deadline = time.monotonic() + 60
        while get_json(st.stats_url)["answers"] - base < n and time.monotonic() < deadline:
            time.sleep(0.5)
        cpu1 = st.bot_cpu()
        load.mark("end")
        detail = get_json(st.stats_url + "?detail=1")
        answered_at = {tok: t for t, _u, tok in detail.pop("answered_at") if tok}
        detail.pop("per_user")
        kinds: dict[str, list[float]] = {}
        missing = 0
        for i, kind, _user, _fields in bodies[len(warm) :]:
            token = token_of.get(i, "")
            if token in answered_at and token in send_at:
                kinds.setdefault(kind, []).append((answered_at[token] - send_at[token]) * 1000)
            else:
                missing += 1
        every = sorted(x for v in kinds.values() for x in v)

        def pct(v: list[float]) -> dict:
            v = sorted(v)
            return {
                "n": len(v),
                "p50_ms": round(percentile(v, 0.5), 1),
                "p99_ms": round(percentile(v, 0.99), 1),
                "max_ms": round(v[-1], 1),
            }

        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine_info(),
            "config": {
                "database": st.database,
                "rate": args.rate,
                "seconds": args.seconds,
                "web_processes": args.web,
                "workers": args.workers,
            },
            "all": pct(every) if every else None,
            "by_kind": {k: pct(v) for k, v in kinds.items()},
            "not_answered_by_reply": missing,
            "non_200": sum(1 for t, c in status.items() if c != 200),
            "bot_cpu_ms_per_event": round((cpu1 - cpu0) / max(n, 1) * 1000, 2),
            "double": detail,
            "database_status": status_counts(st.db_url),
            "bot_log": merged_log_counts(st),
            "load": load.report(),
        }


def summary(r: dict) -> str:
    c, a = r["config"], r["all"] or {}
    lines = [
        f"mixed load — {c['database']}, {c['web_processes']} web × {c['workers']} workers, "
        f"{c['rate']} events/s for {c['seconds']} s",
        f"webhook → Messaging API: p50 {a.get('p50_ms')} ms, p99 {a.get('p99_ms')} ms, "
        f"max {a.get('max_ms')} ms over {a.get('n')} events (target p99 < 300 ms)",
    ]
    for kind, v in r["by_kind"].items():
        lines.append(f"  {kind:<9} n={v['n']:<5} p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms")
    lines += [
        f"not answered by reply: {r['not_answered_by_reply']}; non-200: {r['non_200']}; "
        f"bot CPU per event {r['bot_cpu_ms_per_event']} ms",
        f"double problems: {r['double']['problems'] or 'none'}; calls: {r['double']['calls']}",
        f"database: {r['database_status']}",
        f"bot log: {r['bot_log']}; load: {r['load']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="events a second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=500, help="distinct parents")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--web", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
