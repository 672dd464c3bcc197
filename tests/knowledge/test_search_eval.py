"""The evaluation set: parents' questions over the sample city, plain and as parents really
phrase them (life events, symptoms, dialect, slips), and questions nothing in the city answers.

Scored as the bot shows results: a hit counts only when shown as an answer (not as "closest").
"""

from pathlib import Path

import yaml

from tests.knowledge.helpers import TODAY
from tests.quality.score_search import figures, load, run

SET = Path(__file__).with_name("eval_questions.yaml")
QUESTIONS = yaml.safe_load(SET.read_text(encoding="utf-8"))


def test_the_set_is_big_enough_and_names_real_entries(sample_entries):
    keys = {e.key for e in sample_entries}
    assert len(QUESTIONS) >= 150
    assert sum(1 for q in QUESTIONS if not q["expect"]) >= 10  # nothing fits
    for item in QUESTIONS:
        assert set(item["expect"]) <= keys, item


def test_hit_at_3_and_nothing_fits(sample_index, capsys):
    scored = run(sample_index, load(SET, {d.entry.key for d in sample_index.docs}))
    f = figures(scored)
    misses = [(s.question.q, s.found[:3]) for s in scored if not s.right]
    with capsys.disabled():
        print(
            f"\nhit@1 {f['hit1']}/{f['answerable']}, hit@3 {f['hit3']}/{f['answerable']}, "
            f"nothing fits said {f['nothing_right']}/{f['nothing']}; misses: {misses}"
        )
    assert f["hit3"] / f["answerable"] >= 0.95, misses
    assert f["hit1"] / f["answerable"] >= 0.85, misses
    assert f["nothing_right"] / f["nothing"] >= 0.8, misses


def test_the_scorer_uses_the_days_the_set_was_written_for():
    from tests.quality.score_search import TODAY as SCORED_TODAY

    assert SCORED_TODAY == TODAY
