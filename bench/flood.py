"""A city-notice flood, measured from outside: ingest ratio and answering throughput.

Runs what the Procfile runs — ``web:`` (gunicorn with ``bot/gunicorn_conf.py``, 2 workers; each
worker handles events and delivers) and ``clock:`` — on a fresh database with the sample city's
knowledge base, against the Messaging API double (``bench.double_server``) in its own gunicorn.

1. ``/bare`` (verify and parse only, same gunicorn) for ``--seconds``, as fast as 32 keep-alive
   connections go;
2. ``/callback`` for ``--seconds``: distinct signed parents' questions, each with a fresh reply
   token issued by the double, from ``--users`` parents; the double's answers are counted as
   they arrive, and the run waits until every acknowledged question has been answered (or
   ``--answer-timeout`` from the flood's start);
3. ``/bare`` again. **ratio = webhook acked/s ÷ mean of the two bare phases**, same run.

Checked at the end: every acknowledged question answered exactly once per user's question
(answers per user = questions acked per user), no reply token used after its lifetime or twice,
and every inbox row done. ``--profile DIR`` records each bot worker with py-spy during the flood
and the answering (raw collapsed stacks; ``bench/profile_summary.py`` sums them).

    python bench/flood.py [--seconds 8] [--database-url postgresql://…] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import Load, machine_info  # noqa: E402
from bench.stack import Stack, run_phase, stack  # noqa: E402
from bench.webhook import ServerFailed, get_json, log_counts, status_counts  # noqa: E402
from bot.simulator.page import make_event, sign, webhook_body  # noqa: E402

# Parents' questions: a few hundred distinct sentences, so the analyzer's cache does not make
# the flood cheaper than real questions are.
ASKS = [
    "支援センターはありますか",
    "一時預かりはどこで申し込めますか",
    "児童館は何時まで開いていますか",
    "予防接種のスケジュールを知りたいです",
    "離乳食について相談したい",
    "子育てサロンは何曜日にありますか",
    "雨の日に子どもと遊べる場所",
    "夜泣きがひどくて困っています",
    "ベビーカーで行ける公園",
    "双子の親の集まりはありますか",
    "母乳の相談ができるところ",
    "赤ちゃんの体重をはかれる場所",
]
WHEN = ["", "土曜日に", "今日", "明日の午前に", "平日の午後に", "日曜日に"]
WHO = ["", "0歳の子と", "1歳の息子と", "2歳の娘と", "3歳児と", "生後6か月の赤ちゃんと"]
ALSO = ["", "ヘルプ", "ありがとうございました", "こんにちは"]


def questions(rng: random.Random) -> list[str]:
    texts = [f"{when}{who}{ask}" for ask in ASKS for when in WHEN for who in WHO]
    texts += [t for t in ALSO if t]
    rng.shuffle(texts)
    return texts


def issue_tokens(stats_base: str, users: list[str]) -> list[str]:
    req = urllib.request.Request(
        f"{stats_base}/_tokens",
        data=json.dumps({"users": users}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())["tokens"]


def bodies_for(secret: str, count: int, users: list[str], texts: list[str], tokens: list | None):
    out = []
    for i in range(count):
        user = users[i % len(users)]
        message = {"type": "text", "id": f"m{i}", "text": texts[i % len(texts)]}
        token = tokens[i] if tokens else None
        event = make_event(user, "message", token, message=message)
        body = webhook_body("Ubench" + "0" * 27, [event])
        out.append((body, sign(secret, body)))
    return out


def stored_per_user(url: str) -> dict[str, int]:
    """Events stored per user (the inbox's plain source_key column; nothing decrypted)."""
    from sqlalchemy import create_engine, text

    from bot.storage.db import normalise_url

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT source_key, count(*) FROM inbox_events GROUP BY source_key")
            ).all()
    finally:
        engine.dispose()
    return {key.split(":", 1)[1]: n for key, n in rows}


class Watch(threading.Thread):
    """Samples the double's answer count every 0.5 s: answered by each second of the run."""

    def __init__(self, stats_url: str, base: int, since: float):
        super().__init__(daemon=True)
        self.url, self.base, self.since = stats_url, base, since
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                n = get_json(self.url)["answers"] - self.base
                self.samples.append((round(time.monotonic() - self.since, 2), n))
            except OSError:
                pass
            self.stop.wait(0.5)


def start_profiles(st: Stack, seconds: float) -> list[subprocess.Popen]:
    if not (Path(sys.executable).parent / "py-spy").exists():
        raise ServerFailed("--profile needs py-spy in the venv: .venv/bin/pip install py-spy")
    profs = []
    for web in st.webs:
        children = Path(f"/proc/{web.proc.pid}/task/{web.proc.pid}/children").read_text()
        for pid in children.split():
            out = st.workdir / f"profile-{pid}.txt"
            cmd = [str(Path(sys.executable).parent / "py-spy"), "record", "-p", pid, "-f", "raw"]
            cmd += ["-r", "50", "-d", str(int(seconds)), "-o", str(out)]
            profs.append(
                subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )
    return profs


def run(args: argparse.Namespace) -> dict:
    load = Load()
    with stack(
        args.database_url,
        workers=args.workers,
        web=args.web,
        clock=not args.no_clock,
        prefix="tsunagu-flood-",
        keep=args.keep or args.profile,
    ) as st:
        return flood(st, args, load)


def flood(st: Stack, args: argparse.Namespace, load: Load) -> dict:
    secret, base, stats_url = st.secret, st.double_url, st.stats_url
    rng = random.Random(args.seed)
    users = ["U" + rng.randbytes(16).hex() for _ in range(args.users)]
    texts = questions(rng)

    def phase(path, bodies, seconds):
        return run_phase(st, path, bodies, args.concurrency, args.client_procs, seconds)

    # Warm up both paths and every worker's knowledge index, then settle.
    warm = 200
    phase("/bare", bodies_for(secret, warm, users, texts, None), 30)
    warm_hook = phase("/callback", bodies_for(secret, warm, users, texts, None), 30)
    deadline = time.monotonic() + 120
    while get_json(stats_url)["answers"] < warm_hook.ok and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)

    cap = int(args.seconds * 4500)  # more bodies than any phase can send
    load.mark("bare_1")
    bare1 = phase("/bare", bodies_for(secret, cap, users, texts, None), args.seconds)
    flood_users = [users[i % len(users)] for i in range(cap)]
    tokens = issue_tokens(base, flood_users)
    hook_bodies = bodies_for(secret, cap, users, texts, tokens)
    answered0 = get_json(stats_url)["answers"]
    load.mark("flood")
    t_start, t_start_wall = time.monotonic(), time.time()
    watch = Watch(stats_url, answered0, t_start)
    watch.start()
    profs = start_profiles(st, args.seconds + args.answer_timeout) if args.profile else []
    cpu0 = (st.bot_cpu(), st.double.cpu_seconds())
    hook = phase("/callback", hook_bodies, args.seconds)
    t_flood_end = time.monotonic() - t_start
    while time.monotonic() - t_start < args.answer_timeout:
        if watch.samples and watch.samples[-1][1] >= hook.ok:
            break
        time.sleep(0.2)
    answered = get_json(stats_url)["answers"] - answered0
    cpu1 = (st.bot_cpu(), st.double.cpu_seconds())
    load.mark("answering_done")
    # Let a late run finish before the second bare phase, so that phase runs idle too.
    while watch.samples[-1][1] < hook.ok and time.monotonic() - t_start < 300:
        time.sleep(0.5)
    watch.stop.set()
    watch.join()
    all_at = next((t for t, n in watch.samples if n >= hook.ok), None)
    for p in profs:
        p.send_signal(signal.SIGINT)  # py-spy writes what it has on Ctrl-C
    for p in profs:
        p.wait(30)
    load.mark("bare_2")
    bare2 = phase("/bare", bodies_for(secret, cap, users, texts, None), args.seconds)
    load.mark("end")
    time.sleep(0.5)
    detail = get_json(stats_url + "?detail=1")
    counts = status_counts(st.db_url)

    # Answers per user must equal that user's stored (= acknowledged) events.
    answered_per_user = detail.pop("per_user")
    at = detail.pop("answered_at")
    stored = stored_per_user(st.db_url)
    mismatched = sum(
        1
        for u in set(stored) | set(answered_per_user)
        if stored.get(u, 0) != answered_per_user.get(u, 0)
    )
    bare_rate = (bare1.acked_per_s + bare2.acked_per_s) / 2
    within = sum(1 for t, _u, _tok in at if t_start_wall <= t <= t_start_wall + 60)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "config": {
            "database": st.database,
            "seconds": args.seconds,
            "concurrency": args.concurrency,
            "web_processes": args.web,
            "workers": args.workers,
            "users": args.users,
            "distinct_questions": len(texts),
        },
        "bare_1": bare1.acked_per_s,
        "webhook": hook.acked_per_s,
        "bare_2": bare2.acked_per_s,
        "ratio": round(hook.acked_per_s / bare_rate, 3) if bare_rate else 0.0,
        "webhook_p50_ms": hook.p50_ms,
        "webhook_p99_ms": hook.p99_ms,
        "webhook_non_200": hook.non_200,
        "acked": hook.ok,
        "flood_seconds": round(t_flood_end, 2),
        "answered": answered,
        "all_answered_after_s": all_at,
        "answered_within_60s": within,
        "answer_rate_per_s": round(hook.ok / all_at, 1) if all_at else None,
        # CPU per answer while flooding and answering (the load generator not counted)
        "bot_cpu_ms_per_answer": round((cpu1[0] - cpu0[0]) / max(answered, 1) * 1000, 2),
        "double_cpu_ms_per_answer": round((cpu1[1] - cpu0[1]) / max(answered, 1) * 1000, 2),
        "answered_by_second": watch.samples[:: max(1, len(watch.samples) // 40)],
        "users_answer_count_mismatched": mismatched,
        "double": detail,
        "database_status": counts,
        "bot_log": merged_log_counts(st),
        "peak_rss_mb": st.peak_rss_mb(),
        "pss_mb_at_end": st.pss_mb(),
        "load": load.report(),
    }
    if args.profile:
        result["profiles"] = sorted(str(p) for p in st.workdir.glob("profile-*.txt"))
    return result


def merged_log_counts(st: Stack) -> dict:
    total: dict[str, int] = {}
    for web in st.webs:
        for k, v in log_counts(web).items():
            total[k] = total.get(k, 0) + v
    return total


def summary(r: dict) -> str:
    c = r["config"]
    all_at = r["all_answered_after_s"]
    return "\n".join(
        [
            f"flood — {c['database']}, {c['web_processes']} web × {c['workers']} workers, "
            f"{c['seconds']} s at "
            f"{c['concurrency']} connections, {c['users']} parents, "
            f"{c['distinct_questions']} distinct questions",
            f"bare {r['bare_1']}/s, webhook {r['webhook']}/s, bare {r['bare_2']}/s: "
            f"ratio {r['ratio']:.2f} (target ≥ 0.5); webhook p50 {r['webhook_p50_ms']} ms, "
            f"p99 {r['webhook_p99_ms']} ms, non-200 {r['webhook_non_200']}",
            f"acked {r['acked']} questions; answered {r['answered']}; all answered after "
            + (f"{all_at} s ({r['answer_rate_per_s']}/s)" if all_at else "NOT within the timeout")
            + f"; within 60 s: {r['answered_within_60s']}",
            f"CPU per answer (flood included): bot {r['bot_cpu_ms_per_answer']} ms, "
            f"double {r['double_cpu_ms_per_answer']} ms",
            f"answers per user mismatched: {r['users_answer_count_mismatched']}; "
            f"double problems: {r['double']['problems'] or 'none'}; calls: {r['double']['calls']}",
            f"database: {r['database_status']}",
            f"bot log: {r['bot_log']}",
            f"load: {r['load']}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each phase")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per web process")
    parser.add_argument("--web", type=int, default=1, help="web processes (gunicorn masters)")
    parser.add_argument("--users", type=int, default=3000, help="distinct parents")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--answer-timeout", type=float, default=90.0, help="from the flood start")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-clock", action="store_true", help="do not run the Procfile's clock")
    parser.add_argument("--profile", action="store_true", help="py-spy each worker (kept dir)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        result = run(args)
    except ServerFailed as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else summary(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
