"""The simulator page, driven in headless Chromium: first against canned messages of every
kind (tests/browser/fake_backend.py), then against the real bot."""

from __future__ import annotations

import re

import pytest

from .support import CHROMIUM, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing (Debian package `chromium`); no browser is downloaded",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is needed")
expect = sync_api.expect

USER_ID = re.compile(r"^U[0-9a-f]{32}$")


def sent(app, user_id: str) -> list[dict]:
    return [body for body in app.config["RECEIVED"] if body["user_id"] == user_id]


def test_renders_every_message_kind(page, fake_server):
    url, app = fake_server
    from .fake_backend import PERSONAS, XSS_TEXT

    parent = PERSONAS[0]["user_id"]
    page.goto(url + "/simulator")
    expect(page.locator("#persona option")).to_have_count(len(PERSONAS) + 2)  # + prompt, new user
    page.select_option("#persona", "parent")

    # Choosing a user for the first time is the "add friend" moment.
    wait_for(lambda: sent(app, parent), what="the follow event")
    assert sent(app, parent)[0] == {"user_id": parent, "event": "follow"}

    # Text with quick replies: three pills, under the latest message only.
    quick = page.locator(".quick-reply button")
    expect(quick).to_have_count(3)
    expect(quick).to_have_text(["はい", "English", "時間"])
    expect(page.locator(".msg.bot").last).to_have_text("ようこそ！\n言語を選んでください。")

    # Message text is text: the <script> shows as written and never runs.
    expect(page.locator(".msg.bot.text").first).to_have_text(XSS_TEXT)
    assert page.locator(".msg.bot script, .msg.bot b").count() == 0
    assert page.evaluate("window.__xss") is None
    expect(page.locator(".msg.bot.text a").first).to_have_attribute(
        "href", "https://example.org/a?b=1&c=2"
    )

    # Buttons and confirm templates.
    buttons = page.locator(".msg.template.buttons")
    expect(buttons.locator(".tpl-title")).to_have_text("出張相談")
    expect(buttons.locator("button.action")).to_have_text(
        ["日付をえらぶ", "詳しく見る", "黙って送る", "市のページ"]
    )
    expect(page.locator(".msg.template.confirm button.action")).to_have_text(["送る", "やめる"])

    # Flex: a bubble and a two-bubble carousel, with header/hero/body/footer, unknown parts grey.
    bubble = page.locator(".msg.bot.flex").first
    expect(bubble).to_contain_text("ひだまりサロン")
    expect(bubble).to_contain_text("中央公民館 2F")
    expect(bubble.locator(".flex-header, .flex-hero, .flex-body, .flex-footer")).to_have_count(4)
    expect(bubble.locator("button.action")).to_have_text(["予約する", "くわしく", "地図"])
    expect(bubble.locator(".f-button.primary")).to_have_count(1)
    expect(bubble.locator(".placeholder", has_text="[hologram]")).to_have_count(1)
    expect(bubble.locator(".flex-hero .placeholder")).to_have_count(1)  # the image is missing
    carousel = page.locator(".msg.bot.flex").nth(1)
    expect(carousel.locator(".flex-bubble")).to_have_count(2)
    expect(carousel).to_contain_text("もりのこサロン")
    expect(carousel).to_contain_text("うみべサロン")
    expect(page.locator(".msg.bot.unknown")).to_contain_text("[mystery]")

    # Rich menu: one tappable area per bound, labelled in order; the bar folds it away.
    areas = page.locator(".richmenu .area")
    expect(areas).to_have_text(["検索", "今週のサロン", "ヘルプ"])
    box = areas.nth(0).bounding_box()
    menu = page.locator(".richmenu").bounding_box()
    assert box and menu and abs(box["width"] - menu["width"] / 3) < 3
    page.click(".richmenu-bar")
    expect(page.locator(".richmenu")).to_be_hidden()
    page.click(".richmenu-bar")
    expect(areas.first).to_be_visible()

    # A message quick reply speaks as the user, and the pills go away.
    quick.filter(has_text="はい").click()
    expect(page.locator(".msg.user").last).to_have_text("はい")
    expect(quick).to_have_count(0)
    expect(page.locator(".msg.bot").last).to_have_text("受け取りました: はい")

    # Date picker: initial/min/max from the action; OK posts the params.
    page.locator("button.action", has_text="日付をえらぶ").click()
    picker = page.locator("#picker-input")
    expect(picker).to_be_visible()
    expect(picker).to_have_attribute("type", "date")
    expect(picker).to_have_value("2026-11-30")
    expect(picker).to_have_attribute("min", "2026-11-27")
    picker.fill("2026-12-01")
    page.click("#picker-ok")
    expect(picker).to_be_hidden()
    wait_for(
        lambda: (
            {"data": "dialog=outreach&step=date", "params": {"date": "2026-12-01"}}
            in [b.get("postback") for b in sent(app, parent)]
        ),
        what="the date postback",
    )

    # Postbacks: displayText shows as the user's bubble; without one nothing is echoed.
    users_before = page.locator(".msg.user").count()
    page.locator("button.action", has_text="黙って送る").click()
    wait_for(
        lambda: {"data": "silent=1"} in [b.get("postback") for b in sent(app, parent)],
        what="the silent postback",
    )
    expect(page.locator(".msg.user")).to_have_count(users_before)
    page.locator("button.action", has_text="詳しく見る").click()
    expect(page.locator(".msg.user").last).to_have_text("詳しく見る")

    # A rich menu area acts like a button.
    areas.filter(has_text="検索").click()
    expect(page.locator(".msg.user").last).to_have_text("検索")

    # Typing: what the user writes is escaped too, on both sides.
    evil = '<img src=x onerror="window.__xss=2">'
    page.fill("#text", evil)
    page.click("#send")
    expect(page.locator(".msg.user").last).to_have_text(evil)
    expect(page.locator(".msg.bot").last).to_have_text("受け取りました: " + evil)
    assert page.locator(".msg img[src='x']").count() == 0
    assert page.evaluate("window.__xss") is None

    # A refused send is a small red line; a later push arrives with its tag.
    page.fill("#text", "error")
    page.press("#text", "Enter")
    expect(page.locator(".system.error")).to_contain_text("テストエラー")
    page.fill("#text", "あとで")
    page.click("#send")
    expect(
        page.locator(".row.bot", has_text="お知らせ（push）").locator(".tag.push")
    ).to_be_visible()

    # Other personas have their own conversation; coming back shows this one once, not twice.
    bot_count = page.locator(".msg.bot").count()
    page.select_option("#persona", "member")
    member = PERSONAS[1]["user_id"]
    wait_for(lambda: sent(app, member), what="the member's follow")
    expect(page.locator(".msg.bot").last).to_have_text("ようこそ！\n言語を選んでください。")
    quick.filter(has_text="時間").click()  # a time picker in a quick reply
    expect(picker).to_have_attribute("type", "time")
    picker.fill("09:30")
    page.click("#picker-ok")
    wait_for(
        lambda: (
            {"data": "pick=time", "params": {"time": "09:30"}}
            in [b.get("postback") for b in sent(app, member)]
        ),
        what="the time postback",
    )
    expect(quick).to_have_count(0)
    page.select_option("#persona", "parent")
    expect(page.locator(".msg.user").last).to_have_text("あとで")
    page.wait_for_timeout(1000)  # a poll or two
    expect(page.locator(".msg.bot")).to_have_count(bot_count)
    assert [b for b in sent(app, parent) if b.get("event")] == [
        {"user_id": parent, "event": "follow"}
    ], "the follow is sent once per page session"

    # Block / add friend again.
    page.click("#follow-toggle")
    wait_for(lambda: sent(app, parent)[-1].get("event") == "unfollow", what="the unfollow")
    expect(page.locator(".richmenu .area")).to_have_count(0)
    page.click("#follow-toggle")
    wait_for(lambda: sent(app, parent)[-1].get("event") == "follow", what="the second follow")

    # A new user gets a fresh LINE-shaped id and its own follow.
    page.select_option("#persona", "__new__")
    expect(page.locator("#persona")).to_have_value("new-1")
    new_id = page.locator("#user-id").inner_text()
    assert USER_ID.match(new_id)
    wait_for(lambda: sent(app, new_id), what="the new user's follow")
    assert sent(app, new_id)[0] == {"user_id": new_id, "event": "follow"}


def test_parent_talks_to_bot(page, live_server):
    page.goto(live_server + "/simulator")
    page.select_option("#persona", "parent")

    welcome = page.locator(".msg.bot", has_text="ようこそ")
    expect(welcome.first).to_be_visible(timeout=15_000)
    quick = page.locator(".quick-reply button")
    expect(quick.filter(has_text="日本語")).to_have_count(1)
    expect(quick.filter(has_text="English")).to_have_count(1)

    answered = page.locator(".msg.bot").count()
    quick.filter(has_text="English").click()
    answer = page.locator(".msg.bot").nth(answered)
    expect(answer).to_contain_text("English", timeout=15_000)
    page.screenshot(path="/tmp/simulator.png")
