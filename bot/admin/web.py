"""The admins' blueprint: signing in by link, the session cookie, CSRF, headers, the page frame.

Every page but /admin/login needs a signed-in admin (``signin.current``); every POST needs the
session's CSRF token. Pages live in their own modules and are added by ``admin_blueprint``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for

from bot.admin import signin
from bot.i18n import Translator, _

log = logging.getLogger(__name__)

COOKIE = "tsunagu_admin"
COOKIE_PATH = "/admin"
MAX_UPLOAD = 5 * 1024 * 1024  # bytes: a city's knowledge files are far smaller
FAILURES = {
    "unknown": _("This sign-in link is not valid. Send 「管理画面」 to the bot for a new one."),
    "used": _(
        "This sign-in link has already been used. Send 「管理画面」 to the bot for a new one."
    ),
    "expired": _("This sign-in link has expired (links last 5 minutes). Send 「管理画面」 again."),
    "not_admin": _("This sign-in link is for an admin only."),
}
TOO_LARGE = _("The file is too large (at most 5 MB).")


@dataclass(frozen=True)
class Admin:
    """The signed-in admin, as the pages may use them (ids and language only)."""

    id: int
    language: str


def tsunagu():
    return current_app.extensions["tsunagu"]


def now() -> datetime:
    return datetime.now(UTC)


def t() -> Translator:
    return Translator(g.admin.language if getattr(g, "admin", None) else "ja")


def page(template: str, status: int = 200, **context) -> Response:
    return Response(render_template(template, **context), status=status)


def admin_required(view: Callable) -> Callable:
    """A signed-in admin, and on POST a valid CSRF token; otherwise a refusal, nothing done."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        cookie = request.cookies.get(COOKIE)
        with tsunagu().db.transaction() as session:
            user = signin.current(session, cookie, now())
            if user is not None:
                g.admin = Admin(user.id, user.language)
        if user is None:
            response = page("admin/signed_out.html", 401)
            response.delete_cookie(COOKIE, path=COOKIE_PATH)
            return response
        if request.method == "POST":
            if not signin.csrf_ok(cookie, request.form.get("csrf_token")):
                log.warning("admin %s: a form without a valid CSRF token was refused", user.id)
                return page("admin/refused.html", 403)
        return view(*args, **kwargs)

    return wrapper


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


def _headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # the sign-in link carries a token
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _context() -> dict:
    cookie = request.cookies.get(COOKIE)
    translator = t()
    return {
        "_": translator.gettext,
        "language": translator.language,
        "csrf_token": signin.csrf_token(cookie) if cookie and getattr(g, "admin", None) else "",
        "admin": getattr(g, "admin", None),
    }


def _too_large():
    if request.content_length and request.content_length > MAX_UPLOAD:
        return page("admin/refused.html", 413, message=TOO_LARGE)
    return None


def admin_blueprint() -> Blueprint:
    from bot.admin import pages_audit, pages_kb, pages_notices, pages_reports

    bp = Blueprint(
        "admin", __name__, url_prefix="/admin", template_folder="templates", static_folder="static"
    )
    bp.add_url_rule("/login", "login", _login, methods=["GET"])
    bp.add_url_rule("/logout", "logout", _logout, methods=["POST"])
    bp.add_url_rule("/", "home", admin_required(lambda: redirect(url_for("admin.reports"))))
    bp.after_request(_headers)
    bp.context_processor(_context)
    bp.before_request(_too_large)
    pages_reports.register(bp)
    pages_kb.register(bp)
    pages_audit.register(bp)
    pages_notices.register(bp)
    # The page of questions the bot could not answer (kb gaps) comes with that work: add its
    # module here and a link in templates/admin/base.html (marked "kb gaps").
    return bp
