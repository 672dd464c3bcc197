"""The admins' blueprint: signing in by link and out, composed with the pages' modules.

Every page but /admin/login needs a signed-in admin (``frame.admin_required``); every POST
needs the session's CSRF token. Pages live in their own modules, added here explicitly.
"""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from bot.admin import pages_audit, pages_gaps, pages_kb, pages_notices, pages_reports, signin
from bot.admin.frame import (
    COOKIE,
    COOKIE_PATH,
    FAILURES,
    admin_required,
    now,
    page,
    refuse_too_large,
    security_headers,
    template_context,
    tsunagu,
)


def _login():
    token = request.args.get("token", "")
    with tsunagu().db.transaction() as session:
        result = signin.redeem(session, token, now())
    if not result.ok:
        return page("admin/login_failed.html", 403, message=FAILURES[result.reason])
    # A page that moves on by itself rather than a 302: a cookie set while following a link
    # from the LINE app would not be sent on a redirect chain that started on another site
    # (SameSite=Strict), but it is on a navigation this page starts.
    response = page("admin/signed_in.html", target=url_for("admin.reports"))
    response.set_cookie(
        COOKIE,
        result.session_token,
        path=COOKIE_PATH,
        httponly=True,
        secure=not tsunagu().settings.local_mode,
        samesite="Strict",
    )
    return response


@admin_required
def _logout():
    with tsunagu().db.transaction() as session:
        signin.end(session, request.cookies.get(COOKIE), now())
    response = page("admin/signed_out.html")
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


def admin_blueprint() -> Blueprint:
    bp = Blueprint(
        "admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static"
    )
    bp.add_url_rule("/login", "login", _login, methods=["GET"])
    bp.add_url_rule("/logout", "logout", _logout, methods=["POST"])
    bp.add_url_rule("/", "home", admin_required(lambda: redirect(url_for("admin.reports"))))
    bp.after_request(security_headers)
    bp.context_processor(template_context)
    bp.before_request(refuse_too_large)
    pages_reports.register(bp)
    pages_kb.register(bp)
    pages_audit.register(bp)
    pages_notices.register(bp)
    pages_gaps.register(bp)
    return bp
