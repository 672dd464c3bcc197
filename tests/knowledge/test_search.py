"""Search behaviour: folding, readings, facets as filters that relax, fuzzy names, speed."""

from __future__ import annotations

import time
from datetime import date

import pytest

from bot.knowledge.facets import extract
from bot.knowledge.records import Entry, Rule
from bot.knowledge.search import SearchIndex
from bot.knowledge.text import fold
from tests.knowledge.helpers import TODAY


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ﾎｲｸｴﾝ", "ほいくえん"),
        ("ホイクエン", "ほいくえん"),
        ("子供", "こども"),
        ("子ども", "こども"),
        ("ＵＲＬ", "url"),
        ("はぐＨＵＧ", "はぐhug"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("question", "months", "weekdays", "area"),
    [
        ("1歳半の子と行けるサロン", 18, set(), None),
        ("生後6か月の赤ちゃん", 6, set(), None),
        ("2さい", 24, set(), None),
        ("6ヶ月", 6, set(), None),
        ("1歳3か月", 15, set(), None),
        ("土曜にやってる", None, {5}, None),
        ("週末", None, {5, 6}, None),
        ("日ようび", None, {6}, None),
        ("ｶﾖｳﾋﾞ", None, {1}, None),
        ("平日", None, {0, 1, 2, 3, 4}, None),
        ("きょう", None, {TODAY.weekday()}, None),
        ("きたちくのひろば", None, set(), "kita"),
        ("南地区", None, set(), "minami"),
        ("桜台の保育園", None, set(), "kita"),
        ("4月から保育園", None, set(), None),  # April, not an age
    ],
)
def test_facets(city, question, months, weekdays, area):
    facets, _ = extract(question, city, TODAY)
    assert (facets.months, set(facets.weekdays), facets.area) == (months, weekdays, area)


def test_stage_words_become_facets(city):
    facets, rest = extract("妊娠中の相談", city, TODAY)
    assert facets.stages == {"pregnancy"} and "妊娠" in rest


def test_filters_keep_what_fits(sample_index):
    result = sample_index.search("南地区で土曜にあいてるひろば", limit=10, today=TODAY)
    assert result.relaxed == []
    assert result.results[0].entry.key == "hiroba-ohisama"
    for hit in result.results:  # a procedure at the city hall serves the whole city
        e = hit.entry
        assert e.area_id in (None, "minami") or (e.kind == "service" and not e.area), e.key


def test_filters_relax_when_nothing_matches(sample_index):
    # The sick-child room does not open on Sunday: the weekday filter goes. (It is a service of
    # the whole city, so 北地区 keeps it; a salon elsewhere would not be kept.)
    result = sample_index.search("北地区 日曜 病児保育", today=TODAY)
    assert result.results[0].entry.key == "byouji-koala"
    assert result.relaxed == ["weekday"]
    salon = sample_index.search("西地区 日曜 両親学級", today=TODAY)
    assert salon.results[0].entry.key == "ryoshin-gakkyu"


def test_age_filter(sample_index):
    keys = [h.entry.key for h in sample_index.search("3歳 健診", limit=10, today=TODAY).results]
    assert keys[0] == "kenshin-3y" and "kenshin-4m" not in keys


def test_facets_alone_browse(sample_index):
    result = sample_index.search("0歳 北地区", limit=50, today=TODAY)
    assert result.results
    city_wide = [h for h in result.results if h.entry.kind == "service" and not h.entry.area]
    assert all(h.entry.area_id in (None, "kita") for h in result.results if h not in city_wide)
    first = result.results[: len(result.results) - len(city_wide)]
    assert all(h not in city_wide for h in first[:5])  # the area's own entries come first
    assert all(not h.entry.stages or "age0" in h.entry.stages for h in result.results)


def test_synonyms_come_from_the_city_list(sample_entries, city):
    plain = SearchIndex.build(sample_entries, city=city, synonyms={})
    found = plain.search("デンタル", today=TODAY).results
    assert not any(h.entry.key == "shika-2y" for h in found)
    index = SearchIndex.build(sample_entries, city=city, synonyms={"でんたる": ["歯科"]})
    assert index.search("デンタル", today=TODAY).results[0].entry.key == "shika-2y"


def test_fuzzy_fallback_for_misspelt_names(sample_index):
    result = sample_index.search("こけっこ", today=TODAY)
    assert result.results[0].entry.key == "kokekokko"


def test_nothing_found(sample_index):
    result = sample_index.search("ｘｙｚｚｙ", today=TODAY)
    assert result.results == []


def test_kinds_restrict(sample_index):
    result = sample_index.search("児童館", kinds=["facility"], limit=10, today=TODAY)
    assert {h.entry.kind for h in result.results} == {"facility"}


def test_fast_enough_on_the_sample(sample_index):
    start = time.perf_counter()
    for q in ["1歳 土曜 サロン", "ほいくえん", "こけこっこー", "子どもを預けたい"] * 25:
        sample_index.search(q, today=TODAY)
    assert (time.perf_counter() - start) / 100 < 0.02


def test_empty_index():
    index = SearchIndex.build([])
    assert index.search("保育園").results == []


def test_no_schedule_passes_the_weekday_filter():
    entries = [
        Entry(key="a", kind="service", name="ファミサポ"),
        Entry(key="b", kind="salon", name="ファミサポひろば", rules=(Rule(weekdays=(0,)),)),
    ]
    index = SearchIndex.build(entries)
    keys = [h.entry.key for h in index.search("土曜 ファミサポ", today=date(2026, 11, 27)).results]
    assert keys == ["a"]
