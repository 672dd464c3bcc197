"""What every page of the admins' blueprint shares: the signed-in admin (``admin_required``:
a session, and on POST its CSRF token), the cookie's name, the translator and ``page``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from flask import Response, current_app, g, render_template, request

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


def security_headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # the sign-in link carries a token
    response.headers["X-Frame-Options"] = "DENY"
    return response


def template_context() -> dict:
    cookie = request.cookies.get(COOKIE)
    translator = t()
    return {
        "_": translator.gettext,
        "language": translator.language,
        "csrf_token": signin.csrf_token(cookie) if cookie and getattr(g, "admin", None) else "",
        "admin": getattr(g, "admin", None),
    }


def refuse_too_large():
    if request.content_length and request.content_length > MAX_UPLOAD:
        return page("admin/refused.html", 413, message=TOO_LARGE)
    return None
