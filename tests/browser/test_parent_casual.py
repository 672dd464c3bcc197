"""A tired parent typing casually in the simulator: needs, dialect, a vague wish, a sticker-free
chat of short messages. Screenshots go to /tmp for a person to look at."""

from __future__ import annotations

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def _say(page, words: str, wait_for: str) -> None:
    before = page.locator(".msg.bot").count()
    page.fill("#text", words)
    page.press("#text", "Enter")
    expect(page.locator(".msg.bot").nth(before)).to_be_visible(timeout=15_000)
    expect(page.locator(".msg.bot").last).to_contain_text(wait_for, timeout=15_000)


def test_a_tired_parent_in_her_own_words(page, live_server, tmp_path):
    from bot.city import load_city
    from bot.cli.kb import city_files
    from bot.config import SAMPLE_CITY
    from bot.knowledge.importers import import_paths
    from bot.storage.db import Database

    db = Database(f"sqlite:///{tmp_path}/t.db")  # the live server's database
    city = load_city(SAMPLE_CITY)
    assert import_paths(db, city_files(city), city=city).ok
    db.dispose()
    page.goto(live_server + "/simulator")
    page.select_option("#persona", "parent")
    expect(page.locator(".msg.bot", has_text="ようこそ").first).to_be_visible(timeout=15_000)
    page.locator(".quick-reply button").filter(has_text="日本語").click()
    expect(page.locator(".msg.bot").last).to_be_visible(timeout=15_000)

    _say(page, "熱出とるけど仕事休めんけぇ困っとる", "専門員")
    page.screenshot(path="/tmp/casual-1-dialect.png", full_page=True)
    expect(page.locator(".msg.bot.flex").last).to_contain_text("病児保育室「こあら」")
    page.screenshot(path="/tmp/casual-1-dialect.png", full_page=True)

    expect(page.locator(".msg.bot.flex").last).to_contain_text("月〜土")  # opening days
    _say(page, "こどもあずけたい", "いちばん近いもの")
    page.screenshot(path="/tmp/casual-2-vague.png", full_page=True)
    page.locator(".quick-reply button").filter(has_text="数時間だけ").click()
    expect(page.locator(".msg.bot.flex").last).to_contain_text("一時預かり", timeout=15_000)
    page.screenshot(path="/tmp/casual-3-chosen.png", full_page=True)

    _say(page, "犬の予防注射ってどこ？", "専門員")
    expect(page.locator(".msg.bot").filter(has_text="見つかりませんでした")).to_have_count(1)
    page.screenshot(path="/tmp/casual-4-nothing.png", full_page=True)

    kind_words = page.locator(".msg.bot").filter(has_text="大変でしたね").count()
    _say(page, "引っ越してきて知り合いいなくてさみしい", "専門員")
    expect(page.locator(".msg.bot").filter(has_text="大変でしたね")).to_have_count(kind_words + 1)
    page.screenshot(path="/tmp/casual-5-lonely.png", full_page=True)

    _say(page, "さがす", "何歳")
    _say(page, "1さい", "地区")
    _say(page, "北のほう", "曜日")
    _say(page, "土曜", "ほかに")
    page.screenshot(path="/tmp/casual-6-guided-typed.png", full_page=True)
    _say(page, "ひろばある？", "専門員")
    expect(page.locator(".msg.bot").filter(has_text="前に選んだ1〜2歳・北地区")).to_have_count(1)
    page.screenshot(path="/tmp/casual-7-remembered.png", full_page=True)
