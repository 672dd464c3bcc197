"""The statistical safety net beside the rules: a linear model (logistic regression) over hashed
features of a message, so that a danger message in words the rules have never seen is still
answered.

The rules read who does what to whom and say which tier; they only know the words their
lexicons list. The net knows no grammar, but it has seen every labelled message of the
development sets (tests/quality/danger_dev*.yaml and the scored outside sets) and scores the
text by its pieces: character n-grams (1–4) of the folded text — width, case and kana folded,
hiragana and katakana alike, spaces between Japanese letters dropped, apostrophes dropped — and
the Sudachi lemmas and readings the danger check has already computed, so that 叩く, たたく and
ﾀﾀｸ count alike. When the rules say nothing and the net's probability reaches its threshold,
the message is answered (matcher.py): at the crisis tier when the net is sure (its probability
at least the weights' `band`) and a second model of the same features, trained on the danger
messages alone to tell a crisis from a concern, says crisis (at least its own threshold);
otherwise at the concern tier. Both thresholds are chosen out of fold by the training script.

The weights are data (`net_weights.txt` for danger or not, `net_tier_weights.txt` for crisis or
concern: a JSON header line — buckets, threshold, the hash of the training data — then the
float16 weights, base64): trained offline, reproducibly, by
`python -m tests.quality.train_danger_net`, which also chooses the thresholds by cross-validation.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
import zlib
from functools import cache
from pathlib import Path

import numpy as np

from bot.safety.assessment import Assessment

WEIGHTS = Path(__file__).with_name("net_weights.txt")
TIER_WEIGHTS = Path(__file__).with_name("net_tier_weights.txt")
BUCKETS = 1 << 18  # 256 K float16 weights: 512 KB in memory
ORDERS = (1, 2, 3, 4)
_P = np.uint64(0x100000001B3)  # FNV prime: a rolling hash of code points, stable everywhere
_KATAKANA = str.maketrans({chr(c): chr(c - 0x60) for c in range(ord("ァ"), ord("ヶ") + 1)})
_JA_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_SPACES = re.compile(r"\s+")
_PUNCT = str.maketrans({c: "。" for c in "、。，．,.!?！？…・〜~"} | {"'": None, "’": None})


def fold(text: str) -> str:
    """The text as the net reads it: NFKC, lower case, katakana as hiragana, no spaces
    between Japanese letters (「こどもを　たたいた」 reads as 「こどもをたたいた」), punctuation
    as one mark, no apostrophes (don't and dont alike)."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_KATAKANA).translate(_PUNCT)
    return _SPACES.sub(" ", _JA_SPACE.sub("", text)).strip()


def _grams(codes: np.ndarray, salt: int) -> np.ndarray:
    """Bucket numbers of the text's character n-grams (every order in ORDERS)."""
    out = []
    for n in ORDERS:
        if len(codes) < n:
            break
        h = np.full(len(codes) - n + 1, salt * 1_000_003 + n, dtype=np.uint64)
        for k in range(n):
            h = h * _P + codes[k : len(codes) - n + 1 + k]
        out.append(h)
    if not out:
        return np.zeros(0, dtype=np.int64)
    h = np.concatenate(out)
    h ^= h >> np.uint64(29)
    return (h % np.uint64(BUCKETS)).astype(np.int64)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(("\x02" + text + "\x03").encode("utf-32-le"), dtype=np.uint32).astype(
        np.uint64
    )


def _word(word: str, salt: str) -> int:
    return zlib.crc32(f"{salt}\x00{word}".encode()) % BUCKETS


def features(text: str, tokens: list | None = None) -> np.ndarray:
    """The sorted, distinct buckets a message lights up. `tokens` are the danger check's Sudachi
    tokens of the same text (analysis.Token), when it has them."""
    parts = [_grams(_codes(fold(text)), 1)]
    if tokens:
        lemmas = [t.lemma for t in tokens if t.surface.strip()]
        reading = "".join(t.reading for t in tokens if t.surface[:1] > "\u3000")
        words = [_word(w, "L") for w in lemmas]
        words += [_word(a + "\x01" + b, "B") for a, b in zip(lemmas, lemmas[1:], strict=False)]
        parts.append(np.array(words, dtype=np.int64))
        if reading:
            parts.append(_grams(_codes(reading), 2))
    return np.unique(np.concatenate(parts))


def model() -> tuple[np.ndarray, float, float, dict]:
    """The shipped weights (float32), the bias, the threshold and the header."""
    return _load(WEIGHTS)


def tier_model() -> tuple[np.ndarray, float, float, dict]:
    """The crisis-or-concern model's weights, bias, threshold and header (its `band` is the
    danger probability a net-only crisis also needs)."""
    return _load(TIER_WEIGHTS)


@cache
def _load(path: Path) -> tuple[np.ndarray, float, float, dict]:
    header_line, body = path.read_text(encoding="ascii").split("\n", 1)
    header = json.loads(header_line)
    weights = np.frombuffer(base64.b64decode(body), dtype=np.float16).astype(np.float32)
    if len(weights) != header["buckets"] or header["buckets"] != BUCKETS:
        raise ValueError("net_weights.txt does not match this code's features")
    return weights, float(header["bias"]), float(header["threshold"]), header


def probability(buckets: np.ndarray, weights: np.ndarray, bias: float) -> float:
    """The model's probability of danger for one message's buckets (scaled by 1/√n, so a long
    message is not alarming for its length alone)."""
    if not len(buckets):
        return 0.0
    z = bias + float(weights[buckets].sum()) / np.sqrt(len(buckets))
    return float(1.0 / (1.0 + np.exp(-z)))


def score(text: str, tokens: list | None = None) -> float:
    weights, bias, _, _ = model()
    return probability(features(text, tokens), weights, bias)


def dump(weights: np.ndarray, bias: float, threshold: float, **header) -> str:
    head = {"buckets": BUCKETS, "bias": round(bias, 6), "threshold": round(threshold, 6)}
    body = base64.b64encode(weights.astype(np.float16).tobytes()).decode("ascii")
    return json.dumps(head | header, sort_keys=True) + "\n" + body + "\n"


def tier(buckets: np.ndarray, danger: float) -> str:
    """Crisis or concern for a message the net alone calls dangerous (with probability
    `danger`): crisis only when the net is sure and the tier model says crisis. Never an
    emergency: 110/119 and an urgent page need a rule's word."""
    weights, bias, threshold, header = tier_model()
    if danger >= header["band"] and probability(buckets, weights, bias) >= threshold:
        return "crisis"
    return "concern"


def assess(text: str, tokens: list | None = None) -> Assessment | None:
    """The net's answer when the rules found nothing, kind `net`, or None: the crisis tier (the
    crisis lines and a bundled specialist alert) when `tier` says so, else the concern tier (a
    warm answer, the 24-hour lines and the offer of a specialist, no page). Out of fold, a
    net-only crisis is right about four times in five (docs/quality.md)."""
    weights, bias, threshold, _ = model()
    buckets = features(text, tokens)
    danger = probability(buckets, weights, bias)
    if danger < threshold:
        return None
    return Assessment(
        categories=frozenset(), urgent=False, tier=tier(buckets, danger), kinds=frozenset({"net"})
    )
