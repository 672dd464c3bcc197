"""Signing admins in: a one-time link from the chat, then a browser session.

- ``issue_sign_in_link``: for an active admin only; 5 minutes, one use, bound to that admin.
  Only the SHA-256 of the random token is stored.
- ``redeem``: the link's token → a new session token (for the cookie), or the reason it failed.
- ``current``: the cookie's token → the admin, while the session is young and recently used and
  the person is still an active admin (re-checked on every request: a deactivated admin is out).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.admin.models import AdminSession, AdminSignInLink
from bot.cases.access import staff_of
from bot.storage.models import LineUser

log = logging.getLogger(__name__)

LINK_LIFETIME = timedelta(minutes=5)
IDLE_TIMEOUT = timedelta(minutes=30)
MAX_AGE = timedelta(hours=8)
LOGIN_PATH = "/admin/login"


class NotAnAdmin(PermissionError):
    """Only an active admin gets a sign-in link."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_admin(session: Session, user: LineUser | None) -> bool:
    staff = staff_of(session, user) if user is not None else None
    return staff is not None and staff.role == "admin"


def issue_sign_in_link(session: Session, user: LineUser, now: datetime, base_url: str) -> str:
    """A one-time sign-in address for this admin (raises NotAnAdmin for anyone else)."""
    if not is_admin(session, user):
        raise NotAnAdmin(f"user {user.id} is not an active admin")
    token = secrets.token_urlsafe(32)
    session.add(
        AdminSignInLink(
            token_hash=_hash(token), user_id=user.id, created_at=now, expires_at=now + LINK_LIFETIME
        )
    )
    log.info("sign-in link issued to admin %s", user.id)
    return f"{base_url.rstrip('/')}{LOGIN_PATH}?{urlencode({'token': token})}"


@dataclass(frozen=True)
class Redeemed:
    ok: bool
    reason: str = ""  # unknown | used | expired | not_admin
    session_token: str | None = None
    user_id: int | None = None


def redeem(session: Session, token: str, now: datetime) -> Redeemed:
    """Use a link once: on success a session is opened and its cookie token returned."""
    if not token or len(token) > 100:
        return Redeemed(False, "unknown")
    link = session.scalar(select(AdminSignInLink).where(AdminSignInLink.token_hash == _hash(token)))
    if link is None:
        return Redeemed(False, "unknown")
    # Mark it used in one statement that only succeeds once, even with two tabs racing.
    taken = session.execute(
        update(AdminSignInLink)
        .where(AdminSignInLink.id == link.id, AdminSignInLink.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if not taken:
        log.warning("sign-in link %s used again", link.id)
        return Redeemed(False, "used")
    if link.expires_at <= now:
        return Redeemed(False, "expired")
    user = session.get(LineUser, link.user_id)
    if not is_admin(session, user):
        log.warning("sign-in link %s: user %s is no longer an admin", link.id, link.user_id)
        return Redeemed(False, "not_admin")
    cookie = secrets.token_urlsafe(32)
    session.add(
        AdminSession(token_hash=_hash(cookie), user_id=user.id, created_at=now, last_seen_at=now)
    )
    log.info("admin %s signed in", user.id)
    return Redeemed(True, session_token=cookie, user_id=user.id)


def current(session: Session, cookie: str | None, now: datetime) -> LineUser | None:
    """The signed-in admin, with the session's idle clock restarted; None when there is none."""
    if not cookie or len(cookie) > 100:
        return None
    row = session.scalar(select(AdminSession).where(AdminSession.token_hash == _hash(cookie)))
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > MAX_AGE:
        row.ended_at = now
        return None
    user = session.get(LineUser, row.user_id)
    if not is_admin(session, user):
        row.ended_at = now
        log.warning("admin session %s ended: user %s is no longer an admin", row.id, row.user_id)
        return None
    row.last_seen_at = now
    return user


def end(session: Session, cookie: str | None, now: datetime) -> None:
    if cookie:
        session.execute(
            update(AdminSession)
            .where(AdminSession.token_hash == _hash(cookie), AdminSession.ended_at.is_(None))
            .values(ended_at=now)
        )


def csrf_token(cookie: str) -> str:
    """The form token of a session: derived from its cookie, which scripts cannot read."""
    return hmac.new(cookie.encode(), b"tsunagu-admin-csrf", hashlib.sha256).hexdigest()


def csrf_ok(cookie: str | None, given: str | None) -> bool:
    return bool(cookie and given) and hmac.compare_digest(csrf_token(cookie), given)
