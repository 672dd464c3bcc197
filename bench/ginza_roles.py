"""Would GiNZA's dependency parser read who does what to whom better than our particle reading?

Run in an environment with GiNZA (it is not a dependency of the bot):

    python -m venv /tmp/ginza && /tmp/ginza/bin/pip install ginza ja-ginza -e .
    /tmp/ginza/bin/python bench/ginza_roles.py [--json tests/quality/ginza_results.json]

Both readers feed the same rules (bot/safety/rules.py): only `grammar.arguments` — the subject,
object and に-phrase of a harm verb — is swapped for one taken from GiNZA's parse (nsubj, obj,
obl+に/から). It measures, on the role set below and on the whole development set: accuracy,
recall and false alarms; time per message and the process's memory with each reader loaded.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from bot.safety import assess, grammar
from bot.safety.analysis import Token

# Who does what to whom: (sentence, expected categories or None).
ROLES = [
    ("息子を叩いた", {"child_abuse"}),
    ("夫が私を叩く", {"dv"}),
    ("夫が子供を殴る", {"child_abuse"}),
    ("上の子が下の子を叩く", None),
    ("子供に叩かれる", None),
    ("夫に殴られる", {"dv"}),
    ("太鼓を叩く", None),
    ("肩を叩いてもらった", None),
    ("娘の顔を叩いてしまった", {"child_abuse"}),
    ("彼氏が娘を叩く", {"child_abuse"}),
    ("息子が保育園でお友達に叩かれたみたい", None),
    ("保育園の先生に叩かれたと息子が言ってる", {"child_abuse"}),
    ("隣のお母さんが子供を殴っているのを見た", {"child_abuse"}),
    ("旦那は機嫌が悪いと私を蹴る", {"dv"}),
    ("上の子は下の子をよく蹴る", None),
    ("2歳の息子が私の顔を叩いてくる", None),
    ("夫が怒ると子どもを投げる", {"child_abuse"}),
    ("ドアを叩く音がする", None),
    ("泣き止まない娘をつい叩いた", {"child_abuse"}),
    ("娘が弟を蹴るので困ってます", None),
    ("夫が寝ている息子を蹴った", {"child_abuse"}),
    ("義父に娘が体を触られた", {"child_abuse"}),
    ("彼氏に首を絞められた", {"dv"}),
    ("子どもに手をあげてしまった", {"child_abuse"}),
    ("授業で手を上げた", None),
    ("友達におもちゃを投げられた", None),
    ("夫がしつけと言って子供に熱いお湯をかけた", {"child_abuse"}),
    ("私は子供を叩いたことがない", None),
    ("夫は子供には優しいが私を殴る", {"dv"}),
    ("兄が妹の髪を引っ張る", None),
    ("ママ友が子供を叩いてて心配", {"child_abuse"}),
    ("布団を叩いて干した", None),
    ("旦那が息子を怒鳴りつけて叩いた", {"child_abuse"}),
    ("息子が友達を突き飛ばしたと言われた", None),
    ("祖父が孫を叩いているのを見た", {"child_abuse"}),
    ("イライラして長男を蹴ってしまった", {"child_abuse"}),
    ("私が夫に蹴られているのを子供が見ている", {"dv"}),
    ("子供が犬を叩いた", None),
    ("夫が壁を殴って穴をあけた", None),
    ("元夫が子どもたちを殴っていた", {"child_abuse"}),
]


def _ginza_arguments(nlp):
    """grammar.arguments, read from GiNZA's dependency parse of the same sentence."""
    cache: dict[str, object] = {}

    def arguments(sent: list[Token], i: int) -> dict[str, list[Token]]:
        text = "".join(t.surface for t in sent)
        doc = cache.get(text) or cache.setdefault(text, nlp(text))
        starts, pos = [], 0
        for t in sent:
            starts.append(pos)
            pos += len(t.surface)
        verb = next((g for g in doc if g.idx <= starts[i] < g.idx + max(len(g), 1)), None)
        if verb is None:
            return {}
        args: dict[str, list[Token]] = {}
        for child in verb.children:
            cases = {c.text for c in child.children if c.dep_ == "case"}
            if child.dep_ in ("nsubj", "nsubj:pass", "csubj"):
                key = "が"
            elif child.dep_ == "obj":
                key = "を"
            elif child.dep_ in ("obl", "iobj") and cases & {"に", "から"}:
                key = "に"
            else:
                continue
            lo, hi = child.left_edge.idx, child.idx + len(child)
            phrase = [t for t, s in zip(sent, starts, strict=True) if lo <= s < hi]
            args.setdefault(key, [t for t in phrase if not t.pos.startswith("助詞")])
        return args

    return arguments


def _score(cases) -> dict:
    right = 0
    times = []
    for text, expected in cases:
        start = time.perf_counter()
        a = assess(text)
        times.append((time.perf_counter() - start) * 1000)
        right += (set(a.categories) if a else None) == expected
    times.sort()
    return {
        "accuracy": right / len(cases),
        "right": right,
        "n": len(cases),
        "p50_ms": statistics.median(times),
        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))],
    }


def _dev() -> dict:
    from tests.quality.score_danger import DEV, figures, load, run

    f = figures(run(load(DEV)))
    return {
        "recall": f["danger"]["caught"] / f["danger"]["n"],
        "false_alarms": f["near"]["alarmed"] / f["near"]["n"],
        "p50_ms": f["p50_ms"],
        "p99_ms": f["p99_ms"],
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    assess("準備")
    results = {"particles": {"roles": _score(ROLES), "dev": _dev(), "rss_mb": rss_mb()}}

    import spacy

    start = time.perf_counter()
    nlp = spacy.load("ja_ginza")
    load_s = time.perf_counter() - start
    original = grammar.arguments
    grammar.arguments = _ginza_arguments(nlp)
    try:
        parse = []
        for text, _ in ROLES * 3:
            t0 = time.perf_counter()
            nlp(text + "。")  # a fresh text each time: the parser alone, uncached
            parse.append((time.perf_counter() - t0) * 1000)
        parse.sort()
        results["ginza"] = {
            "roles": _score(ROLES),
            "dev": _dev(),
            "rss_mb": rss_mb(),
            "load_s": load_s,
            "parse_p50_ms": statistics.median(parse),
            "parse_p99_ms": parse[int(len(parse) * 0.99)],
        }
    finally:
        grammar.arguments = original
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
