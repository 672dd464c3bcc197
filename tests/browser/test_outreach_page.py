"""Outreach consultations and 「わたしのデータ」 in the simulator, in headless Chromium, as a parent
would use them: in Japanese (book, see the bookings, cancel) and in English (book, see their
data, delete it). Screenshots of each step go to $BOT_SCREENSHOTS (default: the test's folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .support import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing (Debian package `chromium`); no browser is downloaded",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is needed")
expect = sync_api.expect


@pytest.fixture
def city_server(live_server, tmp_path):
    """The real bot with the sample city's knowledge (its five monthly outreach sessions)."""
    from bot.city import load_city
    from bot.cli.kb import city_files
    from bot.config import SAMPLE_CITY
    from bot.knowledge.importers import import_paths
    from bot.storage.db import Database

    city = load_city(SAMPLE_CITY)
    db = Database(f"sqlite:///{tmp_path}/t.db")
    try:
        assert import_paths(db, city_files(city), city=city).ok
    finally:
        db.dispose()
    return live_server


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BOT_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def last_bot(page):
    return page.locator(".msg.bot").last


def tap(page, label: str) -> None:
    page.locator(".quick-reply button", has_text=label).first.click()


def say(page, words: str) -> None:
    page.fill("#text", words)
    page.click("#send")


def test_a_parent_books_and_cancels_in_japanese(page, city_server, shots):
    page.goto(city_server + "/simulator")
    page.select_option("#persona", "parent")
    expect(page.locator(".msg.bot", has_text="ようこそ").first).to_be_visible(timeout=15_000)
    page.locator("button.action", has_text="プライバシー").click()
    expect(page.locator(".msg.bot", has_text="プライバシーについて（つなぐ）")).to_be_visible(
        timeout=15_000
    )
    page.screenshot(path=shots / "ja-1-privacy.png")
    tap(page, "日本語")
    expect(last_bot(page)).to_contain_text("日本語", timeout=15_000)

    say(page, "出張相談")
    expect(last_bot(page)).to_contain_text("どの回を予約しますか", timeout=15_000)
    page.screenshot(path=shots / "ja-2-sessions.png")
    page.locator(".quick-reply button").first.click()
    expect(last_bot(page)).to_contain_text("ご希望の時間", timeout=15_000)
    tap(page, "10:30")
    expect(last_bot(page)).to_contain_text("この内容で予約しますか", timeout=15_000)
    page.screenshot(path=shots / "ja-3-confirm.png")
    tap(page, "予約する")
    expect(last_bot(page)).to_contain_text("予約しました", timeout=15_000)
    expect(last_bot(page)).to_contain_text("10:30〜11:00")  # Japanese time ranges
    page.screenshot(path=shots / "ja-4-booked.png")

    say(page, "予約")
    expect(last_bot(page)).to_contain_text("出張相談のご予約", timeout=15_000)
    page.locator(".quick-reply button", has_text="取消").first.click()
    expect(last_bot(page)).to_contain_text("キャンセルしますか", timeout=15_000)
    tap(page, "予約をキャンセル")
    expect(last_bot(page)).to_contain_text("キャンセルしました", timeout=15_000)
    page.screenshot(path=shots / "ja-5-cancelled.png")


def test_a_parent_books_then_deletes_their_data_in_english(page, city_server, shots):
    page.goto(city_server + "/simulator")
    page.select_option("#persona", "__new__")
    expect(page.locator(".msg.bot", has_text="ようこそ").first).to_be_visible(timeout=15_000)
    tap(page, "English")
    expect(last_bot(page)).to_contain_text("English", timeout=15_000)

    say(page, "help")
    expect(last_bot(page)).to_contain_text("Here is what I can do", timeout=15_000)
    tap(page, "Outreach sessions")
    expect(last_bot(page)).to_contain_text("Which session would you like?", timeout=15_000)
    page.screenshot(path=shots / "en-1-sessions.png")
    page.locator(".quick-reply button").first.click()
    expect(last_bot(page)).to_contain_text("Which time would you like?", timeout=15_000)
    tap(page, "11:00")
    tap(page, "Book")
    expect(last_bot(page)).to_contain_text("Booked.", timeout=15_000)
    page.screenshot(path=shots / "en-2-booked.png")

    say(page, "my data")
    expect(last_bot(page)).to_contain_text("You can have all of this deleted.", timeout=15_000)
    expect(page.locator(".msg.bot", has_text="What the city keeps about you (")).to_be_visible()
    expect(page.locator(".msg.bot", has_text="Outreach consultation bookings: 1")).to_be_visible()
    page.screenshot(path=shots / "en-3-my-data.png")
    tap(page, "Delete my data")
    expect(last_bot(page)).to_contain_text("This cannot be undone.", timeout=15_000)
    page.screenshot(path=shots / "en-4-confirm-delete.png")
    page.locator(".quick-reply").get_by_role("button", name="Delete", exact=True).click()
    expect(last_bot(page)).to_contain_text("has been deleted", timeout=15_000)
    page.screenshot(path=shots / "en-5-deleted.png")
