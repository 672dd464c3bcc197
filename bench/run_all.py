"""``make bench``: every benchmark, one command; rewrites docs/benchmarks.md with every figure.

Runs, on SQLite and (when reachable) PostgreSQL: the flood (``bench/flood.py``: ingest ratio
and answering), ``BENCH_RUNS`` times each (default 5; ``BENCH_RUNS=1`` is the quick mode); the
mixed end-to-end load (``bench/mixed.py``, ``BENCH_MIXED_SECONDS``, default 60); the clock tick
at 100,000 open cases (``bench/clock.py``); CPU per question in one process, handling and
delivering (``bench/handling.py``); search at 5,000 entries (``bench/search.py``); and,
on PostgreSQL, the flood with 2 and 4 web processes (``BENCH_SCALING=0`` leaves it out).
Each comparison is a ratio measured within one run. The machine's load average and busy CPUs
are recorded beside each figure.

    BENCH_RUNS=1 .venv/bin/python bench/run_all.py        # quick: about 25 minutes here
    BENCH_POSTGRES_URL=postgresql://… (default: postgresql://postgres@127.0.0.1:5432/test)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import machine_info  # noqa: E402

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
OUT = ROOT / "docs" / "benchmarks.md"
RAW = ROOT / "docs" / "benchmarks.json"


def run_json(args: list[str], timeout: float = 1800) -> dict | None:
    cmd = [sys.executable, *args, "--json"]
    print("$", " ".join(args), file=sys.stderr, flush=True)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return None
    try:
        return json.loads(done.stdout)
    except ValueError:
        print(done.stdout[-2000:], file=sys.stderr)
        return None


def run_text(args: list[str], timeout: float = 900) -> str:
    print("$", " ".join(args), file=sys.stderr, flush=True)
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    return done.stdout if done.returncode == 0 else f"(failed)\n{done.stderr[-1500:]}"


def postgres_url() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return url
    except Exception:
        return None


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    mixed_seconds = os.environ.get("BENCH_MIXED_SECONDS", "60")
    scaling = os.environ.get("BENCH_SCALING", "1") != "0"
    pg = postgres_url()
    databases = [("SQLite", [])] + ([("PostgreSQL", ["--database-url", pg])] if pg else [])
    started = datetime.now(UTC)
    results: dict = {
        "machine": machine_info(),
        "runs": runs,
        "started": started.isoformat(timespec="seconds"),
        "flood": {name: [] for name, _ in databases},
        "mixed": {},
        "clock": {},
    }

    def save() -> None:  # after every benchmark: an interrupted run keeps what it measured
        results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        RAW.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    for name, db_args in databases:
        for _ in range(runs):
            if r := run_json(["bench/flood.py", *db_args]):
                results["flood"][name].append(r)
            save()
        results["mixed"][name] = run_json(["bench/mixed.py", "--seconds", mixed_seconds, *db_args])
        save()
    for name, db_args in databases:
        results["clock"][name] = run_json(["bench/clock.py", *db_args])
        save()
        results.setdefault("handling", {})[name] = run_json(["bench/handling.py", *db_args])
        save()
    results["search"] = run_text(["bench/search.py"])
    save()
    if scaling and pg:
        results["scaling"] = {}
        for n in (2, 4):
            results["scaling"][f"{n} web × 1 worker"] = run_json(
                ["bench/flood.py", "--web", str(n), "--workers", "1", "--database-url", pg]
            )
            save()
    write(results)
    return 0


def write(results: dict) -> None:
    from bench.report import render

    OUT.write_text(render(results), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} and {RAW.relative_to(ROOT)}", file=sys.stderr)


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


if __name__ == "__main__":
    if sys.argv[1:] == ["--render"]:  # docs/benchmarks.md again from docs/benchmarks.json
        write(json.loads(RAW.read_text(encoding="utf-8")))
        sys.exit(0)
    sys.exit(main())
