"""The danger-signal matcher against the evaluation set in crisis_cases.yaml."""

from pathlib import Path

import pytest
import yaml

from bot.safety import CATEGORIES, assess

CASES = yaml.safe_load((Path(__file__).parent / "crisis_cases.yaml").read_text(encoding="utf-8"))


def test_the_evaluation_set_is_big_enough():
    assert len(CASES["crisis"]) >= 40
    assert len(CASES["near_miss"]) >= 40


@pytest.mark.parametrize("case", CASES["crisis"], ids=lambda c: c["text"][:20])
def test_every_crisis_is_caught_with_its_category(case):
    result = assess(case["text"])
    assert result is not None, "missed"
    assert set(case["categories"]) <= result.categories
    assert result.categories <= set(CATEGORIES)
    if "urgent" in case:
        assert result.urgent is case["urgent"]


def test_near_misses_are_not_alarmed():
    alarmed = [text for text in CASES["near_miss"] if assess(text) is not None]
    precision = 1 - len(alarmed) / len(CASES["near_miss"])
    print(f"near-miss precision: {precision:.1%}; alarmed: {alarmed}")
    assert precision >= 0.95, alarmed


@pytest.mark.parametrize("text", ["", "   ", "\n", "スタンプ", "👍", "0120"])
def test_empty_and_trivial_messages_are_safe(text):
    assert assess(text) is None


def test_medical_emergencies_are_urgent_and_a_past_confession_is_not():
    assert assess("息してない").urgent
    assert not assess("子供を叩いてしまった").urgent


def test_the_child_is_at_risk_in_dv_when_a_child_is_mentioned():
    assert assess("子供の前で夫に殴られた").child_at_risk
    assert not assess("夫に殴られた").child_at_risk


def test_who_hits_whom_decides():
    assert assess("息子を叩いた").categories == {"child_abuse"}
    assert assess("夫が私を叩く").categories == {"dv"}
    assert assess("上の子が下の子を叩く") is None
    assert assess("子供に叩かれる") is None
