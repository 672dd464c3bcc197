"""Which numbers an assessment brings, from the sample city's emergency mapping."""

from dataclasses import replace

import pytest

from bot.city import EmergencyNumber, load_city
from bot.config import SAMPLE_CITY
from bot.safety import Assessment
from bot.safety.routes import emergency_lines


@pytest.fixture(scope="module")
def city():
    return load_city(SAMPLE_CITY)


def phones(categories, city, urgent=False, child_at_risk=False):
    assessment = Assessment(frozenset(categories), urgent, child_at_risk)
    return [line.phone for line in emergency_lines(assessment, city)]


def test_child_abuse_gets_189_and_the_local_centre(city):
    assert phones({"child_abuse"}, city, child_at_risk=True) == ["189", "0120-000-189"]


def test_ongoing_child_abuse_adds_110_first(city):
    assert phones({"child_abuse"}, city, urgent=True, child_at_risk=True) == [
        "110",
        "189",
        "0120-000-189",
    ]


def test_medical_gets_119_first_and_8000_only_as_secondary(city):
    assert phones({"medical"}, city, urgent=True) == ["119", "#8000"]
    assert "#8000" not in phones({"child_abuse"}, city, child_at_risk=True)


def test_suicide_gets_the_suicide_line_and_110_119_when_imminent(city):
    assert phones({"suicide"}, city) == ["0120-000-556"]
    assert phones({"suicide"}, city, urgent=True) == ["119", "110", "0120-000-556"]


def test_dv_gets_the_dv_line_and_110(city):
    assert phones({"dv"}, city) == ["#8008", "110"]


def test_dv_with_a_child_at_risk_also_gets_189_and_the_centre(city):
    assert phones({"dv"}, city, child_at_risk=True) == ["189", "0120-000-189", "#8008", "110"]


def test_each_line_says_why_and_carries_the_city_name(city):
    lines = emergency_lines(Assessment(frozenset({"child_abuse"}), False, True), city)
    assert lines[1].name == city.emergency["child_guidance_centre"].name
    assert all(line.why for line in lines)


def test_a_city_without_some_lines_still_gets_the_others(city):
    only_police = replace(city, emergency={"police": EmergencyNumber("警察", "110")})
    assert phones({"dv"}, only_police) == ["110"]
    assert phones({"suicide"}, replace(city, emergency={})) == []


def test_a_real_message_end_to_end(city):
    from bot.safety import assess

    assert phones(set(), city) == []
    result = assess("夫が子供を殴っている、今すぐ助けて")
    lines = emergency_lines(result, city)
    assert [line.phone for line in lines][:3] == ["110", "189", "0120-000-189"]


def lines_for(text, city):
    from bot.safety import assess

    return [line.phone for line in emergency_lines(assess(text), city)]


def test_a_concern_gets_lines_to_talk_to_and_no_110_or_119(city):
    # exhaustion: 189 (parents' worries too), the suicide line, the city's consultation
    assert lines_for("育児に疲れ果てた", city) == ["189", "0120-000-556", "000-111-0101"]


def test_low_mood_after_birth_adds_the_postnatal_line(city):
    phones_ = lines_for("産後うつかもしれない", city)
    assert phones_[:2] == ["189", "0120-000-556"] and "000-111-0201" in phones_
    assert "110" not in phones_ and "119" not in phones_


def test_a_concern_tier_line_says_why_in_both_languages(city):
    from bot.i18n import Translator

    a = Assessment(frozenset(), False, tier="concern", kinds=frozenset({"exhaustion"}))
    lines = emergency_lines(a, city)
    assert lines
    for line in lines:  # each reason has a Japanese translation of its own
        assert Translator("ja").gettext(line.why) != line.why, line.why


def test_a_wish_to_die_with_a_child_keeps_the_suicide_line_among_the_four_buttons(city):
    # 119, 110, then the line that listens to the parent, then the child's lines: with the
    # child's two lines first, the suicide line was fifth, in the text only (the round-6 walk)
    imminent = phones({"suicide"}, city, urgent=True, child_at_risk=True)
    assert imminent[:3] == ["119", "110", "0120-000-556"] and "189" in imminent[:4]
    assert phones({"suicide"}, city, child_at_risk=True)[:2] == ["0120-000-556", "189"]
