"""Fixtures for driving the simulator page in headless Chromium (the Debian `chromium` package).

Playwright is only the driver here: it never downloads a browser of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from .support import CHROMIUM, CHROMIUM_ARGS, serving


def _not_ready(environ, start_response):  # answers until the real app is in place
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (no browser is downloaded)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh phone-sized page; any uncaught script error fails the test."""
    context = browser.new_context(
        viewport={"width": 820, "height": 1000}, locale="ja-JP", timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def fake_server() -> Iterator[tuple[str, object]]:
    """The page against tests/browser/fake_backend.py: (base URL, the fake Flask app)."""
    from .fake_backend import create_fake_app

    app = create_fake_app()
    with serving(make_server("127.0.0.1", 0, app, threaded=True)) as url:
        yield url, app


@pytest.fixture
def live_server(tmp_path) -> Iterator[str]:
    """The real application, migrated, with its event processor and outbox running."""
    from bot import create_app
    from bot.config import load_settings
    from bot.storage.migrate import upgrade

    # Bind first: in local mode the LINE API double lives on this same port.
    server = make_server("127.0.0.1", 0, _not_ready, threaded=True)
    try:
        settings = load_settings(
            {
                "BOT_INSTANCE_PATH": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path}/t.db",
                "PORT": str(server.server_port),
                "BOT_LOCAL_MODE": "1",
            }
        )
        upgrade(settings.database_url)
        app = create_app(settings)
    except BaseException:
        server.server_close()
        raise
    server.app = app
    runtime = app.extensions["tsunagu"].runtime
    with serving(server) as url:
        runtime.start()
        try:
            yield url
        finally:
            runtime.stop()
