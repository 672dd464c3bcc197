"""Search benchmark: 5,000 synthetic entries built from the sample city's words.

Reports index build time, p50/p99 latency over a few hundred realistic questions and the
index's memory (tracemalloc, plus the process's peak RSS). Run: python bench/search.py
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from bot.city import load_city  # noqa: E402
from bot.config import SAMPLE_CITY  # noqa: E402
from bot.knowledge.importers import read_file  # noqa: E402
from bot.knowledge.search import SearchIndex  # noqa: E402
from bot.knowledge.text import analyzer  # noqa: E402

EVAL = Path(__file__).resolve().parent.parent / "tests" / "knowledge" / "eval_questions.yaml"
PREFIXES = [
    "つなぐ",
    "さくら",
    "みどり",
    "ひまわり",
    "あおぞら",
    "なかよし",
    "すくすく",
    "にこにこ",
    "北町",
    "港町",
    "日の出",
    "夕陽ケ丘",
    "駅前",
    "第二",
    "わかば",
    "たんぽぽ",
]
EXTRA = [
    "1歳 土曜 サロン",
    "生後3か月 あかちゃん 集まり",
    "週末 パパと遊べる",
    "きたちく ひろば",
    "ﾎｲｸｴﾝ 空き",
    "しえんせんたー",
    "はぐはぐ",
    "こけこっこー",
    "日曜 やってる 児童館",
    "熱 預けたい",
    "2さい 歯医者",
    "にんしん 相談",
    "学童 夏休み",
    "ようちえん 見学",
]


def sample_entries(city):
    orgs, places, entries = {}, {}, []
    for path in [city.path, *city.knowledge_files]:
        parsed = read_file(path, city)
        orgs |= {o.key: o for o in parsed.organizations}
        places |= {p.key: p for p in parsed.places}
        entries += parsed.entries
    return [
        replace(e, place=places.get(e.place_key), organization=orgs.get(e.organization_key))
        for e in entries
    ]


def synthetic(entries, n: int, rng: random.Random):
    """Variants of the sample's entries: new names, mixed keywords, other areas."""
    areas = ["kita", "minami", "higashi", "nishi", "chuo"]
    words = sorted({w for e in entries for w in e.keywords})
    out = []
    for i in range(n):
        base = rng.choice(entries)
        prefix = rng.choice(PREFIXES)
        out.append(
            replace(
                base,
                key=f"{base.key}-{i}",
                name=f"{prefix}{base.name}",
                kana=f"{prefix} {base.kana}",
                keywords=tuple(rng.sample(words, 3)) + base.keywords,
                area=rng.choice(areas),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    city = load_city(SAMPLE_CITY)
    base = sample_entries(city)
    entries = synthetic(base, args.entries, rng)
    analyzer().analyze("ウォームアップ")  # the dictionary load is start-up, not index build
    rss_before = _rss_mib()

    started = time.perf_counter()
    index = SearchIndex.build(entries, city=city)
    build_s = time.perf_counter() - started
    rss_after = _rss_mib()
    # Memory of the index alone: build it again under tracemalloc (which slows it down).
    analyzer()._cache.clear()
    tracemalloc.start()
    measured = SearchIndex.build(entries, city=city)
    traced, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del measured

    questions = [q["q"] for q in yaml.safe_load(EVAL.read_text(encoding="utf-8"))] + EXTRA
    queries = [rng.choice(questions) for _ in range(args.queries)]
    today = date(2026, 11, 27)
    for q in questions:  # first sight of each question fills the analyzer cache: time it too
        index.search(q, today=today)
    timings = []
    for q in queries:
        t = time.perf_counter()
        index.search(q, limit=5, today=today)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"entries            {len(index):>8}")
    print(f"index build        {build_s:8.2f} s")
    print(f"queries            {len(queries):>8}")
    print(f"latency p50        {p50:8.2f} ms")
    print(f"latency p99        {p99:8.2f} ms")
    print(f"latency max        {timings[-1]:8.2f} ms")
    print(f"index memory       {traced / 2**20:8.1f} MiB (tracemalloc; peak {peak / 2**20:.1f})")
    print(
        f"process RSS        {rss_before:8.1f} MiB with the dictionary, {rss_after:.1f} with index"
    )


def _rss_mib() -> float:
    """Current resident set size (Linux /proc), else the peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
