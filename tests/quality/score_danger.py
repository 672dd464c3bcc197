"""Score the danger check on a labelled set: recall per tier and kind, false alarms on near-misses,
time per message and memory.

    .venv/bin/python -m tests.quality.score_danger                  # dev set, misses shown
    .venv/bin/python -m tests.quality.score_danger FILE --aggregate # figures only, never a text
    .venv/bin/python -m tests.quality.score_danger --write-docs     # regenerate docs/quality.md

A set is YAML: tiers (emergency, crisis, concern, near_miss) holding kinds holding messages, as
tests/quality/danger_dev.yaml; a list of {text, tier, kind} items is read too. A message counts
as *caught* when it gets any tier (it is answered with the lines); *at tier* when it gets its own
tier or a more urgent one. `--aggregate` is for sets the rules must not be tuned on (the held-out
sets): it prints counts and rates only.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.safety import TIERS, assess

HERE = Path(__file__).parent
DEV = HERE / "danger_dev.yaml"
# Development data: our own sets, and the outside sets v1–v7 and langs_v1, scored while sealed
# and then folded into development (their labels kept, in place). Sealed held-out sets (v8,
# langs_v2 on) are never read here.
# Written in round 6 by helpers who had not seen the rules, as the outside sets are, to be
# trained on (scored once each before joining: tests/quality/heldout_reading.md).
WRITTEN_OUTSIDE = tuple(sorted(HERE.glob("danger_dev_w*.yaml")))
DEV_SETS = (
    DEV,
    HERE / "danger_dev_r3.yaml",
    HERE / "danger_dev_r4.yaml",
    HERE / "danger_dev_r5.yaml",
    HERE / "danger_dev_r5b.yaml",
    HERE / "danger_dev_r5c.yaml",
    HERE / "danger_dev_r6.yaml",
    HERE / "danger_dev_r6b.yaml",
    HERE / "danger_dev_r7.yaml",
    *WRITTEN_OUTSIDE,
    *(HERE / "heldout" / f"danger_v{n}.yaml" for n in range(1, 8)),
    HERE / "heldout" / "danger_langs_v1.yaml",
)
DOCS = HERE.parent.parent / "docs" / "quality.md"
NONE = "none"
_NONE_NAMES = {
    "none",
    "near_miss",
    "near-miss",
    "nearmiss",
    "near_misses",
    "ordinary",
    "safe",
    "negative",
    "negatives",
    "no_alarm",
    "null",
    "false",
}
_TEXT_KEYS = ("text", "message", "msg", "t", "input", "body")
_TIER_KEYS = ("tier", "expected_tier", "expected", "label", "level")
_KIND_KEYS = ("kind", "category", "type", "subkind", "group")


@dataclass(frozen=True)
class Case:
    text: str
    tier: str  # emergency, crisis, concern, or none for a near-miss
    kind: str
    source: str = ""  # the file it came from, when several are read together


def _tier(name) -> str | None:
    if name is None or name is False:
        return NONE
    name = str(name).strip().lower()
    if name in TIERS:
        return name
    if name in _NONE_NAMES:
        return NONE
    return None


def _walk(node, tier: str | None, kind: str | None, out: list[Case]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, tier, kind, out)
    elif isinstance(node, str):
        if tier is not None:
            out.append(Case(node, tier, kind or "-"))
    elif isinstance(node, dict):
        text_key = next((k for k in _TEXT_KEYS if isinstance(node.get(k), str)), None)
        if text_key:
            item_tier = next((node[k] for k in _TIER_KEYS if k in node), tier)
            item_kind = next((node[k] for k in _KIND_KEYS if node.get(k)), kind)
            resolved = _tier(item_tier) if item_tier is not None else tier
            if resolved is None:
                resolved = f"unknown:{item_tier}"
            if isinstance(item_kind, list):
                item_kind = "+".join(map(str, item_kind))
            out.append(Case(node[text_key], resolved, str(item_kind or "-")))
            return
        for key, value in node.items():
            as_tier = _tier(key) if not isinstance(key, bool) else None
            if as_tier is not None and str(key).lower() != "null":
                _walk(value, as_tier, None, out)
            elif tier is not None:
                _walk(value, tier, str(key), out)
            elif isinstance(value, (list, dict)):
                _walk(value, tier, kind, out)


def load(path: Path) -> list[Case]:
    out: list[Case] = []
    _walk(yaml.safe_load(path.read_text(encoding="utf-8")), None, None, out)
    return out


@dataclass
class Result:
    case: Case
    got: str | None  # the tier assessed, or None
    seconds: float  # wall-clock time
    cpu: float = 0.0  # this process's CPU time (the machine may be shared: wall time waits too)


def run(cases: list[Case]) -> list[Result]:
    assess("準備")  # load the dictionary, the lexicon and the English rules before timing
    assess("ready")
    results = []
    for case in cases:
        start, cpu = time.perf_counter(), time.process_time()
        a = assess(case.text)
        wall = time.perf_counter() - start
        results.append(Result(case, a.tier if a else None, wall, time.process_time() - cpu))
    return results


def _at_tier(r: Result) -> bool:
    return r.got is not None and TIERS.index(r.got) >= TIERS.index(r.case.tier)


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "-"


def figures(results: list[Result]) -> dict:
    """Counts and rates, no texts."""
    danger = [r for r in results if r.case.tier in TIERS]
    near = [r for r in results if r.case.tier == NONE]
    by_tier: dict = {}
    for tier in reversed(TIERS):
        rs = [r for r in danger if r.case.tier == tier]
        if rs:
            by_tier[tier] = {
                "n": len(rs),
                "caught": sum(r.got is not None for r in rs),
                "at_tier": sum(_at_tier(r) for r in rs),
            }
    by_kind: dict = defaultdict(lambda: {"n": 0, "caught": 0, "at_tier": 0})
    for r in danger:
        k = by_kind[(r.case.tier, r.case.kind)]
        k["n"] += 1
        k["caught"] += r.got is not None
        k["at_tier"] += _at_tier(r)
    near_kind: dict = defaultdict(lambda: {"n": 0, "alarmed": 0})
    for r in near:
        near_kind[r.case.kind]["n"] += 1
        near_kind[r.case.kind]["alarmed"] += r.got is not None
    times = sorted(r.seconds * 1000 for r in results)
    cpu = sorted(r.cpu * 1000 for r in results)
    return {
        "messages": len(results),
        "unknown_labels": sum(r.case.tier.startswith("unknown") for r in results),
        "danger": {"n": len(danger), "caught": sum(r.got is not None for r in danger)},
        "by_tier": by_tier,
        "by_kind": dict(by_kind),
        "near": {"n": len(near), "alarmed": sum(r.got is not None for r in near)},
        "near_kind": dict(near_kind),
        "p50_ms": statistics.median(times) if times else 0.0,
        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0.0,
        "max_ms": times[-1] if times else 0.0,
        "cpu_p50_ms": statistics.median(cpu) if cpu else 0.0,
        "cpu_p99_ms": cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))] if cpu else 0.0,
        "load": os.getloadavg()[0],
    }


def long_text_ms() -> float:
    """One 20,000-character message (sentences without end marks among them)."""
    text = ("今日は子どもと公園に行って、すべり台で遊びました。" * 500 + "あ" * 5000)[:20000]
    start = time.perf_counter()
    assess(text)
    return (time.perf_counter() - start) * 1000


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(name: str, f: dict) -> list[str]:
    """The figures as Markdown lines."""
    d = f["danger"]
    lines = [
        f"**{name}** — {f['messages']} messages: {d['n']} that need an answer, "
        f"{f['near']['n']} near-misses.",
        "",
        f"- Recall (answered at all): **{_pct(d['caught'], d['n'])}** ({d['caught']}/{d['n']}; "
        f"missed: {d['n'] - d['caught']})",
        f"- False alarms on near-misses: **{_pct(f['near']['alarmed'], f['near']['n'])}** "
        f"({f['near']['alarmed']}/{f['near']['n']})",
        f"- Time per message: p50 {f['p50_ms']:.2f} ms, p99 {f['p99_ms']:.2f} ms, "
        f"max {f['max_ms']:.2f} ms (wall clock, load average {f['load']:.1f} on this shared "
        f"machine); CPU time p50 {f['cpu_p50_ms']:.2f} ms, p99 {f['cpu_p99_ms']:.2f} ms",
        "",
        "| tier | n | recall (answered) | at its tier or above | missed |",
        "|---|---:|---:|---:|---:|",
    ]
    for tier, t in f["by_tier"].items():
        lines.append(
            f"| {tier} | {t['n']} | {_pct(t['caught'], t['n'])} | {_pct(t['at_tier'], t['n'])} "
            f"| {t['n'] - t['caught']} |"
        )
    lines += ["", "| tier / kind | n | recall | at tier | missed |", "|---|---:|---:|---:|---:|"]
    for (tier, kind), k in sorted(f["by_kind"].items(), key=lambda x: (x[0][0], x[0][1])):
        lines.append(
            f"| {tier} / {kind} | {k['n']} | {_pct(k['caught'], k['n'])} | "
            f"{_pct(k['at_tier'], k['n'])} | {k['n'] - k['caught']} |"
        )
    lines += ["", "| near-miss kind | n | false alarms | rate |", "|---|---:|---:|---:|"]
    for kind, k in sorted(f["near_kind"].items()):
        lines.append(f"| {kind} | {k['n']} | {k['alarmed']} | {_pct(k['alarmed'], k['n'])} |")
    if f["unknown_labels"]:
        lines.append(f"\n(labels not understood: {f['unknown_labels']} messages)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEV)
    parser.add_argument("--aggregate", action="store_true", help="figures only, never a text")
    parser.add_argument("--write-docs", action="store_true", help="regenerate docs/quality.md")
    args = parser.parse_args(argv)
    if args.write_docs:
        from tests.quality.docs import write

        write()
        print(f"wrote {DOCS}")
        return 0
    results = run(load(args.file))
    f = figures(results)
    print("\n".join(report(str(args.file.name), f)))
    print(f"\nlong text (20,000 characters): {long_text_ms():.0f} ms; max RSS {rss_mb():.0f} MB")
    if not args.aggregate:
        misses = [r for r in results if r.case.tier in TIERS and r.got is None]
        under = [r for r in results if r.case.tier in TIERS and r.got and not _at_tier(r)]
        alarms = [r for r in results if r.case.tier == NONE and r.got]
        for title, rs in (("MISSED", misses), ("BELOW ITS TIER", under), ("FALSE ALARM", alarms)):
            for r in rs:
                print(f"{title}: [{r.case.tier}/{r.case.kind}] got {r.got}: {r.case.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
