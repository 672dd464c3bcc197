"""Signing in to the admins' page: a one-time link for admins only, a strict session cookie,
nothing without a session, CSRF tokens on every form, and an idle timeout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot import create_app
from bot.admin.models import AdminSession, AdminSignInLink
from bot.admin.signin import NotAnAdmin, issue_sign_in_link
from bot.cases.invites import deactivate
from bot.cases.models import Staff
from bot.storage.models import LineUser
from tests.admin.conftest import SPECIALIST

PAGES = [
    "/admin/",
    "/admin/reports",
    "/admin/kb",
    "/admin/audit",
    "/admin/notices",
    "/admin/audit.csv",
    "/admin/gaps",
    "/admin/gaps.csv",
    "/admin/reports/2027-01/notes_by_area.png",
]


def test_a_link_signs_an_admin_in_once_with_a_strict_cookie(desk):
    admin = desk.staff()
    link = desk.link(admin)
    assert link.startswith(desk.url + "/admin/login?token=")
    client = desk.browser()
    resp = client.get(link, timeout=10)
    assert resp.status_code == 200
    assert 'http-equiv="refresh"' in resp.text and "/admin/reports" in resp.text
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # local mode: plain http on the loopback
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(desk.url + "/admin/reports", timeout=10).status_code == 200

    again = desk.browser().get(link, timeout=10)
    assert again.status_code == 403 and "Set-Cookie" not in again.headers
    with desk.db.reading() as session:  # only the hash is kept
        stored = session.scalars(select(AdminSignInLink.token_hash)).all()
    assert link.split("token=")[1] not in str(stored)


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 300])
def test_unknown_tokens_are_refused(desk, token):
    resp = desk.browser().get(desk.url + "/admin/login", params={"token": token}, timeout=10)
    assert resp.status_code == 403 and "Set-Cookie" not in resp.headers


def test_an_expired_link_is_refused(desk):
    link = desk.link(desk.staff())
    with desk.db.transaction() as session:
        session.execute(
            update(AdminSignInLink).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert desk.browser().get(link, timeout=10).status_code == 403


def test_only_admins_get_links(desk):
    specialist = desk.staff(SPECIALIST, role="specialist")
    with desk.db.transaction() as session:
        user = session.get(LineUser, specialist)
        with pytest.raises(NotAnAdmin):
            issue_sign_in_link(session, user, datetime.now(UTC), desk.url)
        parent = LineUser(line_user_id="U" + "0" * 32, profile={})
        session.add(parent)
        session.flush()
        with pytest.raises(NotAnAdmin):
            issue_sign_in_link(session, parent, datetime.now(UTC), desk.url)


def test_an_admin_deactivated_since_is_refused_and_signed_out(desk):
    admin = desk.staff()
    link = desk.link(admin)
    client = desk.signed_in(admin)
    with desk.db.transaction() as session:
        staff = session.scalar(select(Staff).where(Staff.user_id == admin))
        deactivate(session, staff, datetime.now(UTC))
    assert desk.browser().get(link, timeout=10).status_code == 403  # (also used)
    assert client.get(desk.url + "/admin/reports", timeout=10).status_code == 401
    fresh = desk.staff("U" + "ae" * 16)
    unused = desk.link(fresh)
    with desk.db.transaction() as session:
        staff = session.scalar(select(Staff).where(Staff.user_id == fresh))
        deactivate(session, staff, datetime.now(UTC))
    resp = desk.browser().get(unused, timeout=10)
    assert resp.status_code == 403 and "Set-Cookie" not in resp.headers


@pytest.mark.parametrize("path", PAGES)
def test_no_page_without_a_session(desk, path):
    resp = desk.browser().get(desk.url + path, timeout=10, allow_redirects=False)
    assert resp.status_code == 401
    assert "管理画面" in resp.text
    forged = desk.browser()
    forged.cookies.set("tsunagu_admin", "made-up", path="/admin")
    assert forged.get(desk.url + path, timeout=10).status_code == 401


def test_a_form_without_the_sessions_csrf_token_is_refused(desk):
    client = desk.signed_in()
    token = desk.csrf(client)
    form = {"text": "お知らせ", "action": "count"}
    assert client.post(desk.url + "/admin/notices", data=form, timeout=10).status_code == 403
    bad = {**form, "csrf_token": "0" * 64}
    assert client.post(desk.url + "/admin/notices", data=bad, timeout=10).status_code == 403
    other = desk.signed_in(desk.staff("U" + "af" * 16))  # another admin's token is not ours
    theirs = {**form, "csrf_token": desk.csrf(other)}
    assert client.post(desk.url + "/admin/notices", data=theirs, timeout=10).status_code == 403
    good = {**form, "csrf_token": token}
    assert client.post(desk.url + "/admin/notices", data=good, timeout=10).status_code == 200
    # signing out needs the token too, and ends the session
    assert client.post(desk.url + "/admin/logout", timeout=10).status_code == 403
    out = client.post(desk.url + "/admin/logout", data={"csrf_token": token}, timeout=10)
    assert out.status_code == 200
    assert client.get(desk.url + "/admin/reports", timeout=10).status_code == 401


def test_an_idle_session_ends(desk):
    client = desk.signed_in()
    assert client.get(desk.url + "/admin/reports", timeout=10).status_code == 200
    with desk.db.transaction() as session:
        session.execute(
            update(AdminSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31))
        )
    assert client.get(desk.url + "/admin/reports", timeout=10).status_code == 401


def test_the_cookie_is_secure_outside_local_mode(tmp_path, sqlite_url):
    from cryptography.fernet import Fernet

    from bot.config import load_settings
    from bot.storage.migrate import upgrade

    settings = load_settings(
        {
            "BOT_INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": sqlite_url,
            "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
            "LINE_CHANNEL_ACCESS_TOKEN": "token",
            "BOT_DATA_KEY": Fernet.generate_key().decode(),
            "BOT_PUBLIC_URL": "https://bot.example.jp/",
        }
    )
    assert settings.public_url == "https://bot.example.jp"
    upgrade(settings.database_url)
    app = create_app(settings)
    db = app.extensions["tsunagu"].db
    with db.transaction() as session:
        user = LineUser(line_user_id="U" + "ad" * 16, role="admin", profile={})
        session.add(user)
        session.flush()
        session.add(Staff(user_id=user.id, role="admin"))
        session.flush()
        link = issue_sign_in_link(session, user, datetime.now(UTC), settings.public_url)
    assert link.startswith("https://bot.example.jp/admin/login?token=")
    resp = app.test_client().get(link.removeprefix("https://bot.example.jp"))
    assert resp.status_code == 200
    assert "Secure" in resp.headers["Set-Cookie"] and "HttpOnly" in resp.headers["Set-Cookie"]
    db.dispose()
