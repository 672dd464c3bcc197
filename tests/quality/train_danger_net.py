"""Train the danger check's safety net (bot/safety/net.py) and choose its threshold.

    .venv/bin/python -m tests.quality.train_danger_net          # retrain, write the weights
    .venv/bin/python -m tests.quality.train_danger_net --check  # retrain, compare, write nothing

Data: the development sets (score_danger.DEV_SETS: our own sets and the outside sets already
scored) with their labels — a message that needs any tier is positive, a near-miss negative —
and the parents' ordinary questions of the search sets as more negatives (the net must not
answer 「保育園の申し込み方法」 with hotlines). Never a sealed held-out set.

Logistic regression, class-balanced, L2, full-batch Adam for a fixed number of steps from
zeros: the same data gives the same weights. The threshold is chosen by 5-fold cross-validation
(stratified, seed 13): the lowest threshold at which the false alarms the net adds to the
rules' stay within NET_FA_NEAR on near-misses and FA_ORDINARY on ordinary questions, out of fold
(the net's budget is its own: more tempting near-misses in the data, which the rules alarm on,
must not squeeze the net out). The
cross-validated figures go to danger_net_cv.json for docs/quality.md.

A second model of the same features (net_tier_weights.txt) is trained on the danger messages
alone, crisis or emergency against concern, class-balanced: it decides the tier of what the net
alone answers. Its threshold and the danger probability a net-only crisis also needs (`band`)
are chosen out of fold, on the messages the net alone answers: the most crises answered as
crises while the pages for messages that need none (near-misses and ordinary questions) stay
within PAGE_NONE of all of those, and the concerns paged within PAGE_CONCERN of the concerns
the net alone answers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

from bot.safety import net
from bot.safety.analysis import analyse
from bot.safety.matcher import rules
from tests.quality.score_danger import DEV_SETS, NONE, WRITTEN_OUTSIDE, Case, load

HERE = Path(__file__).parent
QUESTIONS = (
    HERE / "danger_ordinary.yaml",  # written for the net (first runs: docs/quality.md)
    HERE.parent / "knowledge" / "eval_questions.yaml",
    *sorted(HERE.glob("search_dev_*.yaml")),
)
CV_FILE = HERE / "danger_net_cv.json"
SEED = 13
FOLDS = 5
STEPS = 400
RATE = 0.05
# Chosen on development data only (round 7), leaving one outside set out at a time (14 sets,
# 2,588 danger messages, 1,158 near-misses; rules or net), recall at a pooled false-alarm budget
# of 6% / 8% / 10%: L2 3e-5 86.9 / 93.6 / 97.1%; 1e-5 88.3 / 94.8 / 96.8%; 3e-6 89.7 / 95.7 /
# 97.2%; 1e-6 91.4 / 95.4 / 97.3%; 0 89.6 / 95.9 / 97.0%. The threshold sits near the 6% point
# (bound by ordinary questions, FA_ORDINARY), where 1e-6 recalls most.
L2 = 1e-6
NET_FA_NEAR = 0.02  # added by the net to the rules' own, on near-misses, out of fold
FA_ORDINARY = 0.03  # added by the net on ordinary questions (the rules' own are questions
# about DV or abuse services, answered with the lines on purpose)
PAGE_NONE = 0.01  # net-only crisis pages for near-misses and ordinary questions, of all of them
PAGE_CONCERN = 0.10  # net-only crisis pages for concerns, of the concerns the net alone answers
HIGH = ("crisis", "emergency")
# The sets written by people outside the team (tests/quality/heldout once scored, and the
# danger_dev_w* batches written by helpers who had not seen the rules) are how parents write;
# ours are grown by kind from templates and outnumber them. Left at one weight each, the net
# learnt our phrasing: trained without one outside set at a time and scored on it (v1–v6 in
# turn, rules or net), weighting the outside messages 6× raised recall at the same false alarms
# from 94.9% to 97.1% (threshold 0.75, 6.8% vs 7.0%); 3× gave 96.2%, 12× 97.5% (round 6,
# tests/quality/heldout_reading.md).
OUTSIDE = 6.0
OUTSIDE_SETS = frozenset(
    p.name for p in DEV_SETS if p.parent.name == "heldout" or p in WRITTEN_OUTSIDE
)


def questions() -> list[Case]:
    out = []
    for path in QUESTIONS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else data.get("questions", [])
        texts = [q["q"] if isinstance(q, dict) else q for q in items]
        out += [Case(t, NONE, "question") for t in texts if isinstance(t, str)]
    return out


def data_hash() -> str:
    h = hashlib.sha256()
    for path in (*DEV_SETS, *QUESTIONS):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class Matrix:
    """Rows of buckets (binary features, each row scaled by 1/√n), kept as flat arrays."""

    def __init__(self, rows: list[np.ndarray]):
        self.idx = np.concatenate(rows)
        self.row = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
        self.val = np.repeat([1 / np.sqrt(max(len(r), 1)) for r in rows], [len(r) for r in rows])
        self.n = len(rows)

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.row, weights=w[self.idx] * self.val, minlength=self.n)

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return np.bincount(self.idx, weights=self.val * g[self.row], minlength=net.BUCKETS)


def weights_of(cases: list[Case]) -> np.ndarray:
    """Half the weight to the danger messages, a quarter each to the near-misses and to the
    ordinary questions, however many of each there are; a message of a set written outside the
    team counts OUTSIDE times (see OUTSIDE)."""
    group = np.array([0 if c.tier != NONE else 2 if c.kind == "question" else 1 for c in cases])
    share = np.array([0.5, 0.25, 0.25])
    outside = np.array([c.source in OUTSIDE_SETS for c in cases])
    return share[group] / np.bincount(group, minlength=3)[group] * np.where(outside, OUTSIDE, 1)


def fit(x: Matrix, y: np.ndarray, sw: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted logistic regression by full-batch Adam: deterministic."""
    w, b = np.zeros(net.BUCKETS), 0.0
    m, v, mb, vb = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    for step in range(1, STEPS + 1):
        p = 1 / (1 + np.exp(-(x.dot(w) + b)))
        g = sw * (p - y)
        gw, gb = x.tdot(g) + L2 * w, g.sum()
        m, v = 0.9 * m + 0.1 * gw, 0.999 * v + 0.001 * gw * gw
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
        c1, c2 = 1 - 0.9**step, 1 - 0.999**step
        w -= RATE * (m / c1) / (np.sqrt(v / c2) + 1e-8)
        b -= RATE * (mb / c1) / (np.sqrt(vb / c2) + 1e-8)
    return w, b


def folds(cases: list[Case]) -> np.ndarray:
    """Each case's fold, stratified by tier."""
    rng = np.random.default_rng(SEED)
    out = np.zeros(len(cases), dtype=int)
    for tier in sorted({c.tier for c in cases}):
        ids = np.array([i for i, c in enumerate(cases) if c.tier == tier])
        rng.shuffle(ids)
        out[ids] = np.arange(len(ids)) % FOLDS
    return out


def prepare() -> tuple[list[Case], Matrix, np.ndarray, np.ndarray]:
    cases = [replace(c, source=path.name) for path in DEV_SETS for c in load(path)]
    cases += questions()
    rows, ruled = [], []
    for c in cases:
        sentences = analyse(c.text)
        rows.append(net.features(c.text, [t for s in sentences for t in s]))
        ruled.append(rules(c.text, sentences) is not None)
    y = np.array([c.tier != NONE for c in cases], dtype=float)
    return cases, Matrix(rows), y, np.array(ruled)


def _rates(cases, y, ruled, p, t) -> dict:
    fired = p >= t
    either = ruled | fired
    near = np.array([c.tier == NONE and c.kind != "question" for c in cases])
    asked = np.array([c.kind == "question" for c in cases])
    pos = y == 1
    return {
        "threshold": round(float(t), 4),
        "net_recall": float(fired[pos].mean()),
        "net_fa_near": float(fired[near].mean()),
        "net_added_fa_near": float((fired & ~ruled)[near].mean()),
        "recall": float(either[pos].mean()),
        "fa_near": float(either[near].mean()),
        "fa_questions": float(either[asked].mean()),
        "net_added_fa_questions": float((fired & ~ruled)[asked].mean()),
        "rules_missed_net_caught": int((pos & ~ruled & fired).sum()),
        "rules_missed": int((pos & ~ruled).sum()),
    }


def fit_tier(cases: list[Case], x: Matrix, keep: np.ndarray) -> tuple[np.ndarray, float]:
    """The crisis-or-concern model, on the danger messages among `keep`, class-balanced."""
    keep = keep & np.array([c.tier != NONE for c in cases])
    y = np.array([c.tier in HIGH for c in cases], dtype=float)[keep]
    sw = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))
    return fit(_subset(x, keep), y, sw)


def choose_tier(cases, ruled, oof, oof_tier, threshold) -> dict:
    """The tier model's threshold and band, out of fold (see the module's docstring)."""
    tiers = np.array([c.tier for c in cases])
    asked = np.array([c.kind == "question" for c in cases])
    only = (oof >= threshold) & ~ruled
    high, concern, none = only & np.isin(tiers, HIGH), only & (tiers == "concern"), tiers == NONE
    best = None
    # A fine grid up to 0.99: a lightly regularised net is sure of more (its threshold near 0.9),
    # and a coarse grid ending at 0.96 left no band above it — no net-only crisis at all.
    for band in np.arange(threshold, 0.995, 0.01):
        for t in np.arange(0.5, 0.995, 0.01):
            lifted = only & (oof >= band) & (oof_tier >= t)
            row = {
                "band": round(float(band), 4),
                "threshold": round(float(t), 4),
                "crisis_lifted": int((lifted & high).sum()),
                "crisis_net_only": int(high.sum()),
                "concern_lifted": int((lifted & concern).sum()),
                "concern_net_only": int(concern.sum()),
                "near_lifted": int((lifted & none & ~asked).sum()),
                "questions_lifted": int((lifted & asked).sum()),
                "none_net_only": int((only & none).sum()),
                "none": int(none.sum()),
            }
            paged_for_nothing = row["near_lifted"] + row["questions_lifted"]
            ok = paged_for_nothing <= PAGE_NONE * row["none"] and row[
                "concern_lifted"
            ] <= PAGE_CONCERN * max(row["concern_net_only"], 1)
            key = (row["crisis_lifted"], -paged_for_nothing - row["concern_lifted"])
            if ok and (best is None or key > best[0]):
                best = (key, row)
    return best[1] if best else {"band": 1.0, "threshold": 1.0, "crisis_lifted": 0}


def cross_validate(cases, x_rows, y, ruled) -> tuple[np.ndarray, dict, list]:
    fold = folds(cases)
    oof, oof_tier = np.zeros(len(cases)), np.zeros(len(cases))
    for k in range(FOLDS):
        train, test = fold != k, fold == k
        sw = weights_of([c for c, k in zip(cases, train, strict=True) if k])
        w, b = fit(_subset(x_rows, train), y[train], sw)
        oof[test] = 1 / (1 + np.exp(-(_subset(x_rows, test).dot(w) + b)))
        wt, bt = fit_tier(cases, x_rows, train)
        oof_tier[test] = 1 / (1 + np.exp(-(_subset(x_rows, test).dot(wt) + bt)))
    curve = [_rates(cases, y, ruled, oof, t) for t in np.arange(0.05, 0.96, 0.01)]
    ok = [
        r
        for r in curve
        if r["net_added_fa_near"] <= NET_FA_NEAR and r["net_added_fa_questions"] <= FA_ORDINARY
    ]
    chosen = min(ok, key=lambda r: r["threshold"]) if ok else curve[-1]
    tier = choose_tier(cases, ruled, oof, oof_tier, chosen["threshold"])
    return oof, {"chosen": chosen, "curve": curve[::5], "tier": tier}, curve


def _subset(x: Matrix, keep: np.ndarray) -> Matrix:
    rows = np.split(x.idx, np.cumsum(np.bincount(x.row, minlength=x.n))[:-1])
    return Matrix([r for r, k in zip(rows, keep, strict=True) if k])


def train() -> tuple[str, dict]:
    cases, x, y, ruled = prepare()
    oof, cv, curve = cross_validate(cases, x, y, ruled)
    for r in curve[::3]:
        print(" ".join(f"{k}={v:.3f}" for k, v in r.items()))
    cv["by_tier"] = {}
    for tier in ("emergency", "crisis", "concern"):
        ids = np.array([c.tier == tier for c in cases])
        t = cv["chosen"]["threshold"]
        cv["by_tier"][tier] = {
            "n": int(ids.sum()),
            "net": float((oof[ids] >= t).mean()),
            "rules_or_net": float(((oof[ids] >= t) | ruled[ids]).mean()),
            "rules": float(ruled[ids].mean()),
        }
    cv["by_set"] = {}
    t = cv["chosen"]["threshold"]
    for path in DEV_SETS:
        ids = np.array([c.source == path.name for c in cases])
        pos, near = ids & (y == 1), ids & (y == 0)
        cv["by_set"][path.name] = {
            "danger": int(pos.sum()),
            "rules": float(ruled[pos].mean()),
            "rules_or_net": float(((oof >= t) | ruled)[pos].mean()),
            "near": int(near.sum()),
            "fa_rules": float(ruled[near].mean()),
            "fa_rules_or_net": float(((oof >= t) | ruled)[near].mean()),
        }
    only = (oof >= t) & ~ruled  # what the net adds: the answers it alone gives
    cv["net_only"] = {
        tier: int(sum(only[i] and c.tier == tier for i, c in enumerate(cases)))
        for tier in ("emergency", "crisis", "concern", NONE)
    }
    cv["net_only"]["questions"] = int(
        sum(only[i] and c.kind == "question" for i, c in enumerate(cases))
    )
    cv["messages"] = len(cases)
    cv["data"] = data_hash()
    w, b = fit(x, y, weights_of(cases))
    text = net.dump(w, b, cv["chosen"]["threshold"], data=cv["data"], seed=SEED, steps=STEPS)
    wt, bt = fit_tier(cases, x, np.ones(len(cases), dtype=bool))
    tier = cv["tier"]
    cv["tier_text"] = net.dump(
        wt, bt, tier["threshold"], band=tier["band"], data=cv["data"], seed=SEED, steps=STEPS
    )
    return text, cv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights")
    args = parser.parse_args(argv)
    text, cv = train()
    tier_text = cv.pop("tier_text")
    print(json.dumps(cv["chosen"], indent=1), json.dumps(cv["by_tier"], indent=1))
    print(json.dumps(cv["tier"], indent=1))
    if args.check:
        same = text == net.WEIGHTS.read_text(encoding="ascii") and (
            tier_text == net.TIER_WEIGHTS.read_text(encoding="ascii")
        )
        print("same weights" if same else "DIFFERENT weights")
        return 0 if same else 1
    net.WEIGHTS.write_text(text, encoding="ascii")
    net.TIER_WEIGHTS.write_text(tier_text, encoding="ascii")
    CV_FILE.write_text(json.dumps(cv, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {net.WEIGHTS}, {net.TIER_WEIGHTS} and {CV_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
