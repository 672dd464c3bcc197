"""The evaluation set: parents' questions over the sample city; hit@3 must stay ≥ 0.9."""

from pathlib import Path

import yaml

from tests.knowledge.helpers import TODAY

QUESTIONS = yaml.safe_load(
    (Path(__file__).with_name("eval_questions.yaml")).read_text(encoding="utf-8")
)


def test_the_set_is_big_enough_and_names_real_entries(sample_entries):
    keys = {e.key for e in sample_entries}
    assert len(QUESTIONS) >= 60
    for item in QUESTIONS:
        assert set(item["expect"]) <= keys, item


def test_hit_at_3(sample_index, capsys):
    misses = []
    for item in QUESTIONS:
        found = [h.entry.key for h in sample_index.search(item["q"], limit=3, today=TODAY).results]
        if not set(found) & set(item["expect"]):
            misses.append((item["q"], found))
    score = 1 - len(misses) / len(QUESTIONS)
    with capsys.disabled():
        print(f"\nhit@3 = {score:.3f} over {len(QUESTIONS)} questions; misses: {misses}")
    assert score >= 0.9, misses
