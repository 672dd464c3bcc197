"""The simulator on a phone-sized window (390×844, an iPhone 12–15): the page is the phone, the
menu bar stays on screen, and with the rich menu open a whole result card fits above it — in
each of the five languages, against the real bot with the sample city and its menus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from .conftest import _not_ready
from .support import CHROMIUM, serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is needed")
expect = sync_api.expect

PHONE = {"width": 390, "height": 844}
QUESTIONS = {
    "日本語": ("保育園の申込みをしたい", "さがす"),
    "English": ("how do I apply for daycare?", "Search"),
    "Português": ("como faço a inscrição na creche?", "Buscar"),
    "Tiếng Việt": ("đăng ký nhà trẻ như thế nào?", "Tìm kiếm"),
    "中文（简体）": ("托儿所怎么申请？", "查找"),
}


@pytest.fixture(scope="module")
def city_server(tmp_path_factory) -> Iterator[str]:
    from bot import create_app
    from bot.city import load_city
    from bot.cli.kb import city_files
    from bot.config import SAMPLE_CITY, load_settings
    from bot.knowledge.importers import import_paths
    from bot.messaging.richmenu import deploy
    from bot.storage.migrate import upgrade

    tmp = tmp_path_factory.mktemp("phone")
    server = make_server("127.0.0.1", 0, _not_ready, threaded=True)
    settings = load_settings(
        {
            "BOT_INSTANCE_PATH": str(tmp),
            "DATABASE_URL": f"sqlite:///{tmp}/t.db",
            "PORT": str(server.server_port),
            "BOT_LOCAL_MODE": "1",
        }
    )
    upgrade(settings.database_url)
    app = create_app(settings)
    tsunagu = app.extensions["tsunagu"]
    city = load_city(SAMPLE_CITY)
    assert import_paths(tsunagu.db, city_files(city), city=city).ok
    server.app = app
    with serving(server) as url:
        live = tsunagu.settings  # local mode: the double's own per-run token
        deploy(live.api_endpoint, live.channel_access_token)
        tsunagu.runtime.start()
        try:
            yield url
        finally:
            tsunagu.runtime.stop()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    yield page
    context.close()


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("language", list(QUESTIONS))
def test_a_card_fits_above_the_open_menu_on_a_phone(phone, city_server, language, tmp_path):
    page = phone
    question, search_label = QUESTIONS[language]
    page.goto(city_server + "/simulator")
    page.select_option("#persona", "__new__")
    quick = page.locator(".quick-reply button")
    expect(quick.filter(has_text=language)).to_have_count(1, timeout=15_000)
    quick.filter(has_text=language).click()
    # the menu in the chosen language, its bar on screen
    expect(page.locator(".richmenu .area").first).to_contain_text(search_label, timeout=15_000)
    assert page.evaluate("document.documentElement.scrollHeight") <= PHONE["height"]
    bar = box(page, "#richmenu-bar")
    assert bar["y"] + bar["height"] <= PHONE["height"]
    # typing: the open menu gives way to the keyboard, as in LINE, and comes back
    page.click("#richmenu-bar")
    page.fill("#text", question)
    page.click("#send")
    expect(page.locator(".msg.bot.flex").first).to_be_visible(timeout=15_000)
    page.click("#richmenu-bar")
    expect(page.locator(".richmenu")).to_be_visible()
    page.locator(".msg.bot.flex .flex-bubble").first.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('.msg.bot.flex').scrollIntoView({block: 'start'})")
    card, chat = box(page, ".msg.bot.flex .flex-bubble"), box(page, "#chat")
    page.screenshot(path=str(tmp_path / f"phone-{language}.png"))
    assert card["height"] <= chat["height"], (card, chat)
    assert (
        card["y"] >= chat["y"] - 1 and card["y"] + card["height"] <= chat["y"] + chat["height"] + 1
    )
