"""Sums py-spy's raw (collapsed) stacks: where the bot's workers spent their samples.

    python bench/profile_summary.py profile-*.txt [--top 25]

Prints, per thread kind (request threads, the events loop, the outbox loop, the ingest writer),
the share of samples, and the functions with the largest inclusive share (a function counted
once per stack). Idle samples (waiting on a lock, a socket or a sleep) are left out by py-spy.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter

THREAD_KINDS = [
    ("events loop", "process_events"),
    ("outbox loop", "deliver"),
    ("ingest writer", "_write_forever"),
    ("requests", "ThreadWorker.handle "),
]
SKIP = re.compile(r"^(<module>|_bootstrap|_bootstrap_inner|run|_loop|wrapper)\b")


def frame_name(frame: str) -> str:
    # "func (path/to/file.py:123)" -> "func (file.py)"
    m = re.match(r"(.*) \((.*?):\d+\)$", frame)
    if not m:
        return frame
    func, path = m.groups()
    short = path.split("/site-packages/")[-1] if "site-packages" in path else path
    short = short.split("/bot/", 1)[-1] if "/bot/" in short else short
    return f"{func} ({short})"


def summarise(paths: list[str], top: int) -> str:
    total = 0
    kinds: Counter = Counter()
    inclusive: dict[str, Counter] = {}
    for path in paths:
        for line in open(path, errors="replace"):  # noqa: SIM115
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            n = int(count)
            frames = stack.split(";")
            kind = next((k for k, f in THREAD_KINDS if any(f in fr for fr in frames)), "other")
            total += n
            kinds[kind] += n
            seen = {frame_name(f) for f in frames if not SKIP.match(f)}
            bucket = inclusive.setdefault(kind, Counter())
            for name in seen:
                bucket[name] += n
    lines = [f"{total} samples in {len(paths)} process(es)"]
    for kind, n in kinds.most_common():
        lines.append(f"\n== {kind}: {n} samples ({100 * n / total:.1f} %)")
        for name, m in inclusive[kind].most_common(top):
            lines.append(f"  {100 * m / total:5.1f} %  {name}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    print(summarise(args.paths, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
