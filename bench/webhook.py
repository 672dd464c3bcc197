"""Webhook ingest benchmark: events acked per second and ack latency, against a bare endpoint.

Starts, on 127.0.0.1 and free ports:

* the Messaging API double (``bench.double_server:app``) under gunicorn, one process;
* the bot (``bench.bench_app:app``) under gunicorn with ``bot/gunicorn_conf.py`` — each worker
  runs its background runtime, which handles the stored events and delivers the answers to the
  double — on a fresh database. The same app serves ``POST /bare``, which only verifies and
  parses the body as the webhook does before storing.

Then it sends distinct signed webhook bodies (one text event each, from a few hundred users)
over N concurrent keep-alive connections: to ``/bare``, to ``/callback``, and to ``/bare`` again,
and waits until the double has accepted one push for every event ``/callback`` acked. The events
carry no reply token, so every answer goes out as a push (as it does when LINE's token is stale).

The load generator runs on the same machine as the servers and takes its share of the CPUs.

    python bench/webhook.py [--requests 3000] [--concurrency 32] [--workers 2] [--json]
    python bench/webhook.py --database-url postgresql://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing as mp
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # ``python bench/webhook.py`` puts bench/, not the project, first
    sys.path.insert(0, str(ROOT))

from bot.simulator.page import make_event, sign, webhook_body  # noqa: E402

TEXTS = [
    "土曜日にやってる支援センター",
    "ヘルプ",
    "一時預かりはどこで申し込めますか",
    "児童館は何時まで開いていますか",
    "予防接種のスケジュールを知りたいです",
    "離乳食について相談したい",
    "保育園の空き状況を教えてください",
    "子育てサロンは何曜日にありますか",
    "雨の日に子どもと遊べる場所",
    "夜泣きがひどくて困っています",
    "ベビーカーで行ける公園",
    "ありがとうございました",
]
LOG_PATTERNS = {
    "store_failed_503": "could not store",
    "event_failed": "failed, attempt",
    "outbox_retry": "retrying",
    "dead_lettered": "dead-lettered",
    "worker_timeout": "WORKER TIMEOUT",
    "traceback": "Traceback",
}


# ------------------------------------------------------------------ processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerFailed(Exception):
    pass


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group: gunicorn and its workers
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=5)

    def cpu_seconds(self) -> float:
        """User + system CPU of gunicorn's master and workers, from /proc (0 if unreadable)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        pids = [self.proc.pid]
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            pids += [int(p) for p in children.split()]
        except OSError:
            return 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError, ValueError):
                pass
        return total


def start_server(name: str, args: list[str], env: dict, workdir: Path) -> Server:
    log_path = workdir / f"{name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, proc, log_path)


def wait_ready(server: Server, url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise ServerFailed(f"{server.name} exited with {server.proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise ServerFailed(f"{server.name} did not answer {url} within {timeout:.0f} s")


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.loads(resp.read())


# ------------------------------------------------------------------ database


@dataclass
class Database:
    url: str  # what the bot is given
    schema: str | None = None  # PostgreSQL: a fresh schema, dropped afterwards
    admin_url: str | None = None


def prepare_database(url: str | None, workdir: Path) -> Database:
    if not url:
        return Database(f"sqlite:///{workdir / 'bench.db'}")
    if url.startswith("sqlite"):
        return Database(url)
    import psycopg

    schema = "bench_" + secrets.token_hex(4)
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return Database(f"{url}{sep}options=-csearch_path%3D{schema}", schema, url)


def drop_database(db: Database) -> None:
    if db.schema and db.admin_url:
        import psycopg

        with psycopg.connect(_libpq(db.admin_url), autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {db.schema} CASCADE")


def _libpq(url: str) -> str:
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)


def status_counts(url: str) -> dict:
    """How the stored events and outbox rows ended up (plain columns only; nothing decrypted)."""
    from sqlalchemy import create_engine, text

    from bot.storage.db import normalise_url

    # A plain engine: bot's SQLite engine would BEGIN IMMEDIATE, queueing for the write lock.
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            inbox = dict(
                conn.execute(
                    text("SELECT status, count(*) FROM inbox_events GROUP BY status")
                ).all()
            )
            outbox = dict(
                conn.execute(text("SELECT status, count(*) FROM outbox GROUP BY status")).all()
            )
            sent_via = dict(
                conn.execute(
                    text(
                        "SELECT sent_via, count(*) FROM outbox WHERE sent_via IS NOT NULL "
                        "GROUP BY sent_via"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    return {"inbox": inbox, "outbox": outbox, "outbox_sent_via": sent_via}


# ------------------------------------------------------------------ bodies and load


def make_bodies(secret: str, count: int, users: list[str], rng: random.Random) -> list:
    """Distinct signed bodies, one text event each (distinct webhookEventId), made before timing."""
    bodies = []
    for i in range(count):
        user = rng.choice(users)
        event = make_event(
            user, "message", None, message={"type": "text", "id": f"{i}", "text": rng.choice(TEXTS)}
        )
        body = webhook_body("Ubench" + "0" * 27, [event])
        bodies.append((body, sign(secret, body)))
    return bodies


def _client_process(port, path, bodies, threads, start, deadline_s, out) -> None:
    """One load process: ``threads`` keep-alive connections taking bodies from a shared index."""
    results: list[tuple[float, float, int]] = []
    lock = threading.Lock()
    counter = itertools.count()
    start.wait()
    deadline = time.monotonic() + deadline_s

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < deadline:
            i = next(counter)
            if i >= len(bodies):
                break
            body, signature = bodies[i]
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "X-Line-Signature": signature,
                "User-Agent": "LineBotWebhook/2.0",
            }
            t0 = time.monotonic()
            try:
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
            mine.append((t0, time.monotonic(), status))
        conn.close()
        with lock:
            results.extend(mine)

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out.put((results, usage.ru_utime + usage.ru_stime))


@dataclass
class Phase:
    endpoint: str
    sent: int
    ok: int
    non_200: int
    errors: dict
    seconds: float
    acked_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    server_cpu_s: float
    client_cpu_s: float
    started: float = field(repr=False, default=0.0)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def run_phase(
    server: Server,
    port: int,
    path: str,
    bodies: list,
    concurrency: int,
    procs: int,
    time_limit: float,
) -> Phase:
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = max(1, min(procs, concurrency))
    children = []
    for p in range(procs):
        threads = concurrency // procs + (1 if p < concurrency % procs else 0)
        child = ctx.Process(
            target=_client_process,
            args=(port, path, bodies[p::procs], threads, start, time_limit, out),
            daemon=True,
        )
        child.start()
        children.append(child)
    time.sleep(0.3)  # let the clients fork and block on the start signal
    cpu0 = server.cpu_seconds()
    started = time.monotonic()
    start.set()
    results, client_cpu = [], 0.0
    for _ in children:
        part, cpu = out.get(timeout=time_limit + 60)
        results += part
        client_cpu += cpu
    cpu1 = server.cpu_seconds()
    for child in children:
        child.join(timeout=10)
    return summarise(path, results, cpu1 - cpu0, client_cpu, started)


def summarise(
    path: str, results: list, server_cpu: float, client_cpu: float, started: float
) -> Phase:
    """A phase's figures from its requests' (sent, answered, status) times."""
    first = min((r[0] for r in results), default=started)
    last = max((r[1] for r in results), default=started)
    ok = [r for r in results if r[2] == 200]
    errors: dict[str, int] = {}
    for r in results:
        if r[2] != 200:
            errors[str(r[2])] = errors.get(str(r[2]), 0) + 1
    latencies = sorted((r[1] - r[0]) * 1000 for r in ok)
    seconds = last - first
    return Phase(
        endpoint=path,
        sent=len(results),
        ok=len(ok),
        non_200=len(results) - len(ok),
        errors=errors,
        seconds=round(seconds, 3),
        acked_per_s=round(len(ok) / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=round(percentile(latencies, 0.50), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        max_ms=round(latencies[-1], 1) if latencies else float("nan"),
        server_cpu_s=round(server_cpu, 2),
        client_cpu_s=round(client_cpu, 2),
        started=first,
    )


def wait_answered(stats_url: str, base: int, expected: int, since: float, timeout: float) -> dict:
    """Poll the double until it accepted ``expected`` more pushes; time from ``since``."""
    deadline = time.monotonic() + timeout
    count = 0
    while True:
        count = get_json(stats_url)["accepted_pushes"] - base
        now = time.monotonic()
        if count >= expected:
            return {"answered": count, "expected": expected, "seconds": round(now - since, 2)}
        if now > deadline:
            return {"answered": count, "expected": expected, "seconds": None}
        time.sleep(0.05)


# ------------------------------------------------------------------ the run


def log_counts(server: Server) -> dict:
    try:
        text = server.log_path.read_text(errors="replace")
    except OSError:
        return {}
    return {name: text.count(pattern) for name, pattern in LOG_PATTERNS.items()}


def run(args: argparse.Namespace) -> dict:
    from cryptography.fernet import Fernet

    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-bench-"))
    servers: list[Server] = []
    db = None
    try:
        db = prepare_database(args.database_url, workdir)
        secret = secrets.token_hex(16)
        token = secrets.token_urlsafe(32)
        double_port, bot_port = free_port(), free_port()
        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "BOT_", "GUNICORN"))
        }
        base_env["PYTHONPATH"] = str(ROOT) + os.pathsep + base_env.get("PYTHONPATH", "")
        double_env = dict(base_env, BENCH_DOUBLE_TOKEN=token)
        bot_env = dict(
            base_env,
            LINE_CHANNEL_SECRET=secret,
            LINE_CHANNEL_ACCESS_TOKEN=token,
            LINE_API_ENDPOINT=f"http://127.0.0.1:{double_port}",
            BOT_DATA_KEY=Fernet.generate_key().decode(),
            DATABASE_URL=db.url,
            BOT_INSTANCE_PATH=str(workdir),
            # 200 users at hundreds of events a second would be held back as floods (bot.flood):
            # the benchmark measures the work, not the limit.
            BOT_FLOOD_LIMIT="none",
            WEB_CONCURRENCY=str(args.workers),
            PORT=str(bot_port),
        )
        if args.threads:
            bot_env["GUNICORN_THREADS"] = str(args.threads)
        if args.no_runtime:
            bot_env["BENCH_NO_RUNTIME"] = "1"

        double = start_server(
            "double",
            [
                "bench.double_server:app",
                "--bind",
                f"127.0.0.1:{double_port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "16",
                "--log-level",
                "warning",
            ],
            double_env,
            workdir,
        )
        servers.append(double)
        wait_ready(double, f"http://127.0.0.1:{double_port}/_stats")

        upgrade = subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            cwd=ROOT,
            env=bot_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if upgrade.returncode != 0:
            raise ServerFailed("db upgrade failed:\n" + upgrade.stdout + upgrade.stderr)

        bot = start_server(
            "bot",
            [
                "bench.bench_app:app",
                "--config",
                "python:bot.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{bot_port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            bot_env,
            workdir,
        )
        servers.append(bot)
        wait_ready(bot, f"http://127.0.0.1:{bot_port}/healthz", timeout=60)

        rng = random.Random(args.seed)
        users = ["U" + rng.randbytes(16).hex() for _ in range(args.users)]
        n = args.requests
        warm = 4 * args.workers * 8
        bodies = make_bodies(secret, 2 * warm + 3 * n, users, rng)
        warm_bare, warm_hook = bodies[:warm], bodies[warm : 2 * warm]
        bare1 = bodies[2 * warm : 2 * warm + n]
        hook = bodies[2 * warm + n : 2 * warm + 2 * n]
        bare2 = bodies[2 * warm + 2 * n :]
        stats_url = f"http://127.0.0.1:{double_port}/_stats"

        def phase(path: str, chunk: list, limit: float) -> Phase:
            return run_phase(bot, bot_port, path, chunk, args.concurrency, args.client_procs, limit)

        # Warm both paths (imports, connection pools, statement caches), then let it settle.
        warm_phases = [phase("/bare", warm_bare, 30), phase("/callback", warm_hook, 30)]
        expect = 0 if args.no_runtime else warm_phases[1].ok
        warm_done = wait_answered(stats_url, 0, expect, time.monotonic(), 60)
        base = get_json(stats_url)["accepted_pushes"]

        p_bare1 = phase("/bare", bare1, args.phase_timeout)
        p_hook = phase("/callback", hook, args.phase_timeout)
        expect = 0 if args.no_runtime else p_hook.ok
        answered = wait_answered(stats_url, base, expect, p_hook.started, args.answer_timeout)
        p_bare2 = phase("/bare", bare2, args.phase_timeout)
        time.sleep(0.5)
        double_stats = get_json(stats_url)
        counts = status_counts(db.url)

        bare_rps = (p_bare1.acked_per_s + p_bare2.acked_per_s) / 2
        ratio = p_hook.acked_per_s / bare_rps if bare_rps else 0.0
        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "nproc": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "config": {
                "database": "postgresql" if db.schema else "sqlite",
                "requests": n,
                "concurrency": args.concurrency,
                "client_procs": args.client_procs,
                "workers": args.workers,
                "threads_per_worker": int(bot_env.get("GUNICORN_THREADS", "8")),  # conf default
                "users": args.users,
                "events_per_body": 1,
                "runtime": not args.no_runtime,
            },
            "warmup": {"bodies_per_endpoint": warm, "answered": warm_done},
            "phases": {
                "bare_1": asdict(p_bare1),
                "webhook": asdict(p_hook),
                "bare_2": asdict(p_bare2),
            },
            "ratio": round(ratio, 3),
            "ratio_target": 0.5,
            "answer_all": answered,
            "double": double_stats,
            "database_status": counts,
            "bot_log": log_counts(bot),
        }
    except ServerFailed:
        for server in servers:
            tail = server.log_tail()
            if tail:
                print(f"--- {server.name} log (last lines) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        for server in reversed(servers):
            server.stop()
        if db is not None:
            try:
                drop_database(db)
            except Exception as exc:  # cleaning up must not hide the result
                print(f"could not drop schema {db.schema}: {exc}", file=sys.stderr)
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def summary(result: dict) -> str:
    c, m = result["config"], result["machine"]
    lines = [
        f"Tsunagu webhook ingest — {c['database']}, {c['workers']} gunicorn workers × "
        f"{c['threads_per_worker']} threads, {c['concurrency']} connections from "
        f"{c['client_procs']} client processes on the same {m['nproc']}-CPU machine "
        f"(Python {m['python']})",
        "",
        f"{'endpoint':<16}{'ok':>6}{'non-200':>9}{'acked/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'srv cpu s':>11}{'cli cpu s':>11}",
    ]
    for name, p in result["phases"].items():
        lines.append(
            f"{name + ' ' + p['endpoint']:<16}{p['ok']:>6}{p['non_200']:>9}{p['acked_per_s']:>10}"
            f"{p['p50_ms']:>9}{p['p99_ms']:>9}{p['max_ms']:>9}{p['server_cpu_s']:>11}"
            f"{p['client_cpu_s']:>11}"
        )
        if p["errors"]:
            lines.append(f"{'':<16}non-200 by status: {p['errors']}")
    ratio_ok = result["ratio"] >= result["ratio_target"]
    a = result["answer_all"]
    all_ok = a["seconds"] is not None and not result["phases"]["webhook"]["non_200"]
    lines += [
        "",
        f"ratio webhook/bare acked per second: {result['ratio']:.2f} "
        f"(target ≥ {result['ratio_target']}: {'met' if ratio_ok else 'NOT met'})",
        (
            f"every acked event answered: {a['answered']}/{a['expected']} pushes in "
            f"{a['seconds']} s from the first webhook request"
            if a["seconds"] is not None
            else f"NOT every acked event answered: {a['answered']}/{a['expected']} before timeout"
        )
        + ("" if all_ok else " (see non-200 above)" if a["seconds"] is not None else ""),
        f"database: {result['database_status']}",
        f"bot log: {result['bot_log']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="bodies per timed phase")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent connections")
    parser.add_argument("--client-procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for the bot")
    parser.add_argument("--threads", type=int, default=0, help="threads per worker (0: conf's)")
    parser.add_argument("--users", type=int, default=200, help="distinct LINE user ids")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--phase-timeout", type=float, default=40.0, help="seconds per phase")
    parser.add_argument("--answer-timeout", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-runtime",
        action="store_true",
        help="diagnostics: do not start the workers' event handling (nothing gets answered)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, db)")
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
