"""The Procfile's processes on this machine, for the benchmarks: ``web:`` and ``clock:``, on a
fresh database with the sample city's knowledge base, against the Messaging API double.

``web`` web processes each run gunicorn with ``bot/gunicorn_conf.py`` (``workers`` workers; each
worker handles events and delivers) on a port of its own; the load generator spreads its
connections over them, as a load balancer would. The double (``bench.double_server``) runs in
its own gunicorn, one process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.webhook import (
    Phase,
    Server,
    ServerFailed,
    _client_process,
    drop_database,
    free_port,
    prepare_database,
    start_server,
    summarise,
    wait_ready,
)

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stack:
    workdir: Path
    db_url: str
    database: str
    secret: str
    env: dict
    double: Server
    double_url: str
    webs: list[Server] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    clock_pid: int | None = None

    def peak_rss_mb(self) -> dict[str, float]:
        """Each bot process's peak resident memory (VmHWM), MB: masters, workers, the clock."""
        out = {}
        for web in self.webs:
            pids = [web.proc.pid]
            try:
                task = f"/proc/{web.proc.pid}/task/{web.proc.pid}/children"
                pids += [int(p) for p in Path(task).read_text().split()]
            except OSError:
                pass
            for i, pid in enumerate(pids):
                out[f"{web.name} {'master' if i == 0 else f'worker {i}'}"] = _hwm(pid)
        if self.clock_pid:
            out["clock"] = _hwm(self.clock_pid)
        return {k: v for k, v in out.items() if v is not None}

    def pss_mb(self) -> dict[str, float]:
        """Each worker's proportional share (Pss, now): shared pages — the Sudachi dictionary's
        mapped file — counted once across the processes that share them."""
        out = {}
        for web in self.webs:
            try:
                task = f"/proc/{web.proc.pid}/task/{web.proc.pid}/children"
                pids = [int(p) for p in Path(task).read_text().split()]
            except OSError:
                continue
            for i, pid in enumerate(pids, 1):
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            out[f"{web.name} worker {i}"] = round(int(line.split()[1]) / 1024, 1)
                except OSError:
                    pass
        return out

    @property
    def stats_url(self) -> str:
        return f"{self.double_url}/_stats"

    def bot_cpu(self) -> float:
        return sum(w.cpu_seconds() for w in self.webs)

    def python(self, code: str) -> None:
        """Run Python with the bot's environment (to seed the database)."""
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise ServerFailed(f"seeding failed:\n{done.stdout}{done.stderr}")


def _hwm(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@contextmanager
def stack(
    database_url: str | None,
    workers: int = 2,
    web: int = 1,
    clock: bool = True,
    prefix: str = "tsunagu-bench-",
    keep: bool = False,
    seed: str | None = None,
) -> Iterator[Stack]:
    from cryptography.fernet import Fernet

    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    servers: list[Server] = []
    clock_proc = None
    db = None
    try:
        db = prepare_database(database_url, workdir)
        secret, token = secrets.token_hex(16), secrets.token_urlsafe(32)
        double_port = free_port()
        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "BOT_", "GUNICORN"))
        }
        base_env["PYTHONPATH"] = str(ROOT) + os.pathsep + base_env.get("PYTHONPATH", "")
        env = dict(
            base_env,
            LINE_CHANNEL_SECRET=secret,
            LINE_CHANNEL_ACCESS_TOKEN=token,
            LINE_API_ENDPOINT=f"http://127.0.0.1:{double_port}",
            BOT_DATA_KEY=Fernet.generate_key().decode(),
            DATABASE_URL=db.url,
            BOT_INSTANCE_PATH=str(workdir),
            BOT_FLOOD_LIMIT="none",  # thousands of parents, not one sender's flood
            WEB_CONCURRENCY=str(workers),
        )
        double = start_server(
            "double",
            ["bench.double_server:app", "--bind", f"127.0.0.1:{double_port}", "--workers", "1"]
            + ["--worker-class", "gthread", "--threads", "16", "--log-level", "warning"],
            dict(base_env, BENCH_DOUBLE_TOKEN=token),
            workdir,
        )
        servers.append(double)
        double_url = f"http://127.0.0.1:{double_port}"
        wait_ready(double, f"{double_url}/_stats")
        # The rich menus on the double too, as on a real channel (a language change re-links one).
        for cmd in (["db", "upgrade"], ["kb", "import", "--sample"], ["richmenu", "deploy"]):
            done = subprocess.run(
                [sys.executable, "-m", "bot", *cmd],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode != 0:
                raise ServerFailed(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")
        st = Stack(
            workdir,
            db.url,
            "postgresql" if db.schema else "sqlite",
            secret,
            env,
            double,
            double_url,
        )
        if seed:
            st.python(seed)
        for i in range(web):
            port = free_port()
            server = start_server(
                f"web{i}",
                ["bench.bench_app:app", "--config", "python:bot.gunicorn_conf"]
                + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                dict(env, PORT=str(port)),
                workdir,
            )
            servers.append(server)
            st.webs.append(server)
            st.ports.append(port)
        if clock:
            clock_proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "clock"],
                cwd=ROOT,
                env=env,
                stdout=open(workdir / "clock.log", "wb"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            st.clock_pid = clock_proc.pid
        for server, port in zip(st.webs, st.ports, strict=True):
            wait_ready(server, f"http://127.0.0.1:{port}/healthz", timeout=90)
        yield st
    except ServerFailed:
        for server in servers:
            print(f"--- {server.name} log ---\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        if clock_proc is not None:
            clock_proc.terminate()
            try:
                clock_proc.wait(10)
            except subprocess.TimeoutExpired:
                clock_proc.kill()
                clock_proc.wait(5)
        for server in reversed(servers):
            server.stop()
        if db is not None:
            try:
                drop_database(db)
            except Exception as exc:  # cleaning up must not hide the result
                print(f"could not drop schema {db.schema}: {exc}", file=sys.stderr)
        if keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_phase(
    st: Stack, path: str, bodies: list, concurrency: int, procs: int, seconds: float
) -> Phase:
    """Like bench.webhook.run_phase, with the connections spread over every web process."""
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = max(procs, len(st.ports))
    children = []
    for p in range(procs):
        threads = concurrency // procs + (1 if p < concurrency % procs else 0)
        port = st.ports[p % len(st.ports)]
        child = ctx.Process(
            target=_client_process,
            args=(port, path, bodies[p::procs], threads, start, seconds, out),
            daemon=True,
        )
        child.start()
        children.append(child)
    time.sleep(0.3)
    cpu0 = st.bot_cpu()
    start.set()
    results, client_cpu = [], 0.0
    for _ in children:
        part, cpu = out.get(timeout=seconds + 60)
        results += part
        client_cpu += cpu
    cpu1 = st.bot_cpu()
    for child in children:
        child.join(timeout=10)
    return summarise(path, results, cpu1 - cpu0, client_cpu, time.monotonic())
