"""The admins' page in headless Chromium: sign-in by link, a used link refused, nothing without a
session, a forged form refused, a knowledge upload with a problem and one with a preview.

Screenshots go to $ADMIN_SCREENSHOT_DIR (or the test's temp dir) for a person to look at.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from bot.admin.signin import issue_sign_in_link
from bot.cases.models import AuditEntry, Case, CaseEvent, Staff
from bot.i18n import Translator
from bot.storage.models import LineUser

from .support import CHROMIUM, serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing (Debian package `chromium`); no browser is downloaded",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is needed")
expect = sync_api.expect
ja = Translator("ja").gettext

BAD_CSV = "ID,名称,種別,所在地_連結表記,開始時間\n1,きた保育園,保育所,つなぐ市北町1-1,25:00\n"
GOOD_YAML = """\
    places:
      - {key: hall, name: テスト児童館, address: つなぐ市北町1-1, area: kita}
    entries:
      - {key: salon-new, kind: salon, name: あたらしいサロン, place: hall}
"""


@pytest.fixture
def admin_server(tmp_path) -> Iterator[tuple[str, object]]:
    from bot import create_app
    from bot.config import load_settings
    from bot.storage.migrate import upgrade
    from tests.reports.conftest import seed_january

    server = make_server("127.0.0.1", 0, lambda e, s: [], threaded=True)
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
    db = app.extensions["tsunagu"].db
    seed_january(db)  # figures to draw
    with db.transaction() as session:  # parents of 北地区 for a notice
        for i, stage in enumerate(("age0", "age0", "age1_2")):
            profile = {"stage": stage, "area": "kita"}
            session.add(LineUser(line_user_id=f"Ukita{i:028x}", profile=profile))
        first = session.scalars(select(Case).order_by(Case.id)).first()
        session.add_all(
            [
                CaseEvent(case_id=first.id, actor_id=1, kind="claimed", at=first.created_at),
                AuditEntry(actor_id=1, case_id=first.id, action="view_note", at=first.created_at),
            ]
        )
    with serving(server) as url:
        yield url, app
    app.extensions["tsunagu"].db.dispose()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("ADMIN_SCREENSHOT_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in_link(app, url: str) -> str:
    db = app.extensions["tsunagu"].db
    with db.transaction() as session:
        user = LineUser(line_user_id="U" + "ad" * 16, role="admin", profile={})
        session.add(user)
        session.flush()
        session.add(Staff(user_id=user.id, role="admin"))
        session.flush()
        return issue_sign_in_link(session, user, datetime.now(UTC), url)


def test_sign_in_by_link_and_the_pages(browser, admin_server, shots, tmp_path):
    url, app = admin_server
    # bypass_csp: the page allows no script, but this test forges a form with one (below).
    context = browser.new_context(
        viewport={"width": 1100, "height": 900}, locale="ja-JP", bypass_csp=True
    )
    page = context.new_page()

    # No session: no page, only how to get one.
    page.goto(url + "/admin/reports")
    expect(page.locator("h1")).to_have_text(ja("Not signed in"))
    assert page.locator("table").count() == 0
    page.screenshot(path=shots / "01_no_session.png")

    # The link from the chat signs in and moves on to this month's figures.
    link = sign_in_link(app, url)
    page.goto(link)
    page.wait_for_url("**/admin/reports")
    expect(page.locator("h1")).to_contain_text(ja("Monthly figures"))
    page.goto(url + "/admin/reports?month=2027-01")
    expect(page.locator("#notes_by_area img")).to_be_visible()
    assert page.locator("#notes_by_area img").evaluate("i => i.naturalWidth") == 800
    expect(page.locator("#notes_by_area tbody tr").nth(1)).to_contain_text("<5")
    page.screenshot(path=shots / "02_figures.png", full_page=True)

    # The same link again, in another browser: refused.
    other = browser.new_context(locale="ja-JP").new_page()
    other.goto(link)
    expect(other.locator("h1")).to_have_text(ja("Could not sign in"))
    expect(other.locator(".message")).to_contain_text("管理画面")
    other.screenshot(path=shots / "03_used_link.png")
    other.goto(url + "/admin/notices")
    expect(other.locator("h1")).to_have_text(ja("Not signed in"))
    other.context.close()

    # A knowledge file with a problem: every problem by file, line and column; nothing applied.
    page.goto(url + "/admin/kb")
    bad = tmp_path / "保育所一覧.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name=ja("Check the file")).click()
    row = page.locator("table.problems tbody tr").first
    expect(row).to_contain_text("保育所一覧.csv")
    expect(row.locator("td").nth(1)).to_have_text("2")
    expect(row.locator("td").nth(2)).to_have_text("5")
    expect(row).to_contain_text("25:00")
    assert page.get_by_role("button", name=ja("Apply")).count() == 0
    page.screenshot(path=shots / "04_upload_problem.png", full_page=True)

    # A good file: what would change, then apply.
    page.goto(url + "/admin/kb")
    good = tmp_path / "salons.yaml"
    good.write_text(textwrap.dedent(GOOD_YAML), encoding="utf-8")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name=ja("Check the file")).click()
    expect(page.locator("#added-count")).to_have_text("1")
    expect(page.locator("table.changes")).to_contain_text("あたらしいサロン")
    page.screenshot(path=shots / "05_upload_preview.png", full_page=True)
    page.get_by_role("button", name=ja("Apply")).click()
    expect(page.locator(".ok")).to_be_visible()
    page.screenshot(path=shots / "06_upload_applied.png")

    # Notices: a dry run counts the parents.
    page.goto(url + "/admin/notices")
    page.fill("textarea[name=text]", "子育て相談の窓口が土曜日も開くようになりました。")
    page.select_option("select[name=area]", "kita")
    page.get_by_role("button", name=ja("Count the recipients")).click()
    expect(page.locator("#outcome")).to_contain_text(
        ja("This notice would reach {n} parent(s).").format(n=3)
    )
    page.screenshot(path=shots / "07_notice_dry_run.png")

    # A form whose CSRF token was tampered with is refused, and nothing is sent.
    page.goto(url + "/admin/notices")
    page.fill("textarea[name=text]", "お知らせ")
    page.evaluate("document.querySelector('main input[name=csrf_token]').value = 'forged'")
    assert page.locator("main input[name=csrf_token]").input_value() == "forged"
    page.get_by_role("button", name=ja("Send")).click()
    expect(page.locator("h1")).to_have_text(ja("Refused"))
    assert not app.extensions["tsunagu"].double.calls("multicast")
    page.screenshot(path=shots / "08_csrf_refused.png")

    page.goto(url + "/admin/audit?since=2026-01-01")
    expect(page.locator("h1")).to_have_text(ja("Audit trail"))
    expect(page.locator("table.audit tbody tr")).to_have_count(2)
    expect(page.locator("table.audit")).to_contain_text("view_note")
    page.screenshot(path=shots / "09_audit.png")
    context.close()
