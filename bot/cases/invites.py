"""One-time invite codes: how members, specialists and admins register.

A code is 12 characters from a 26-letter alphabet (56 bits) after ``TSU-``; only its SHA-256 is
stored. It registers whoever sends it first, once, before it expires. Wrong codes are counted
per sender: after ``MAX_FAILURES`` in ``FAILURE_WINDOW`` the sender is asked to wait.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.cases.models import Invite, InviteFailure, Staff
from bot.city import City
from bot.messaging.richmenu import link_menu
from bot.safety import assess
from bot.storage.models import LineUser
from bot.typed import nfkc
from bot.vocabulary import STAFF_ROLES, Role, SpecialistType

log = logging.getLogger(__name__)

# No 0/O or 1/I (codes are read aloud and retyped) and no vowels, D, V or Y, so no code spells a
# word — least of all one the danger check, which reads every message first, would catch (DV).
ALPHABET = "23456789BCFGHJKLMNPQRSTWXZ"
CODE_LENGTH = 12
DEFAULT_DAYS = 14
MAX_DAYS = 90  # a code handed over and forgotten should not stay good for years
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(hours=1)
_CODE = re.compile(r"^TSU[-\s]?([A-Z0-9]{4})[-\s]?([A-Z0-9]{4})[-\s]?([A-Z0-9]{4})$")


class InviteError(ValueError):
    """An invite cannot be made as asked (unknown role, area …)."""


def _hash(body: str) -> str:
    return hashlib.sha256(("TSU" + body).encode("ascii")).hexdigest()


def code_body(typed: str) -> str | None:
    """The 12 letters of something that looks like an invite code, or None."""
    match = _CODE.match(nfkc(typed).upper())
    return "".join(match.groups()) if match else None


def _new_body() -> str:
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        # Belt and braces: a code the danger check flags would never reach registration.
        forms = (f"TSU-{body[:4]}-{body[4:8]}-{body[8:]}", "TSU" + body, f"tsu {body.lower()}")
        if all(assess(form) is None for form in forms):
            return body


def create_invite(
    session: Session,
    *,
    role: str,
    now: datetime,
    city: City,
    specialist_type: str | None = None,
    org: str = "",
    name: str = "",
    area: str | None = None,
    days: int = DEFAULT_DAYS,
) -> str:
    """Store a new invite and return its code (shown once: only the hash is kept)."""
    if role not in STAFF_ROLES:
        raise InviteError(f"role must be one of {', '.join(sorted(STAFF_ROLES))}")
    if role == Role.SPECIALIST and specialist_type not in set(SpecialistType):
        raise InviteError("a specialist needs --type basic or --type mch")
    if role != Role.SPECIALIST and specialist_type:
        raise InviteError("--type is for specialists only")
    if role == Role.MEMBER and not org.strip():
        raise InviteError("a member needs --org (their organisation receives referrals)")
    if area and area not in city.area_ids:
        raise InviteError(
            f"unknown area {area!r}; the city has: {', '.join(sorted(city.area_ids))}"
        )
    if not 1 <= days <= MAX_DAYS:
        raise InviteError(f"--days must be from 1 to {MAX_DAYS}, got {days}")
    body = _new_body()
    session.add(
        Invite(
            code_hash=_hash(body),
            role=role,
            specialist_type=specialist_type,
            org=org.strip(),
            name=name.strip()[:80],
            area=area or None,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    return f"TSU-{body[:4]}-{body[4:8]}-{body[8:]}"


def revoke(session: Session, invite_id: int, now: datetime) -> Invite:
    """Make an unused invite stop working at once: it expires now. InviteError if it cannot."""
    invite = session.get(Invite, invite_id)
    if invite is None:
        raise InviteError(f"no invite {invite_id} (see: invite list)")
    revoked = session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.expires_at > now)
        .values(expires_at=now)
    ).rowcount
    if revoked == 1:
        log.info("invite %s revoked", invite_id)
        return invite
    session.refresh(invite)
    if invite.used_at is not None:
        raise InviteError(
            f"invite {invite_id} was already used (by user #{invite.used_by}); "
            "to take the role away: members deactivate STAFF_ID"
        )
    raise InviteError(f"invite {invite_id} has already expired")


@dataclass
class Redeemed:
    outcome: str  # registered | wrong | limited
    staff: Staff | None = None


def redeem(session: Session, user: LineUser, body: str, now: datetime) -> Redeemed:
    """Register ``user`` by the invite whose code is ``body``: good, unused and unexpired."""
    recent = session.scalar(
        select(func.count())
        .select_from(InviteFailure)
        .where(InviteFailure.user_id == user.id, InviteFailure.at > now - FAILURE_WINDOW)
    )
    if recent >= MAX_FAILURES:
        log.warning("invite code from user %s refused: too many tries", user.id)
        return Redeemed("limited")
    invite = session.scalar(select(Invite).where(Invite.code_hash == _hash(body)))
    # Single use even when two people send the same code at once: only one UPDATE matches.
    # The expiry is checked in it too, so a code revoked meanwhile is not taken.
    taken = (
        invite is not None
        and invite.expires_at > now
        and session.execute(
            update(Invite)
            .where(Invite.id == invite.id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now, used_by=user.id)
        ).rowcount
        == 1
    )
    if not taken:
        session.add(InviteFailure(user_id=user.id, at=now))
        log.info("wrong or used invite code from user %s", user.id)
        return Redeemed("wrong")
    staff = register(
        session,
        user,
        role=invite.role,
        specialist_type=invite.specialist_type,
        org=invite.org,
        name=invite.name,
        area=invite.area,
        now=now,
        invite_id=invite.id,
    )
    log.info("user %s registered as %s by invite %s", user.id, invite.role, invite.id)
    return Redeemed("registered", staff)


def register(
    session: Session,
    user: LineUser,
    *,
    role: str,
    specialist_type: str | None,
    org: str,
    name: str = "",
    area: str | None,
    now: datetime,
    invite_id: int | None = None,
) -> Staff:
    """Make ``user`` staff (or change their staff details) and link their role's rich menu."""
    staff = session.scalar(select(Staff).where(Staff.user_id == user.id))
    if staff is None:
        staff = Staff(user_id=user.id, created_at=now)
        session.add(staff)
    staff.role, staff.specialist_type, staff.org, staff.area = role, specialist_type, org, area
    staff.name = name
    staff.active, staff.deactivated_at, staff.invite_id = True, None, invite_id
    user.role = role
    # The note dialog offers this area first (dialogs read the profile, not the database).
    user.profile = {**(user.profile or {}), "staff_area": area}
    session.flush()
    link_menu(session, user.line_user_id, role)
    return staff


def deactivate(session: Session, staff: Staff, now: datetime) -> None:
    """Take a staff member's role away: they talk to the bot as a parent from now on."""
    user = session.get(LineUser, staff.user_id)
    staff.active, staff.deactivated_at = False, now
    if user is not None:
        user.role = Role.PARENT
        user.profile = {k: v for k, v in (user.profile or {}).items() if k != "staff_area"}
        link_menu(session, user.line_user_id, Role.PARENT, user.language)
