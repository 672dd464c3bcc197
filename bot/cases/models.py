"""The tables of the case work: staff, invites, notes, cases, their history, referrals, audit.

A family's free text (a note, a reason, an outcome's words) is stored with EncryptedText;
everything else is codes, ids and times, so reports and logs need no decryption.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.crypto import EncryptedText
from bot.storage.models import Base, utcnow
from bot.vocabulary import reference_of


class Staff(Base):
    """A registered network member, specialist or admin: organisation, area, type."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("line_users.id", ondelete="CASCADE"), unique=True
    )
    role: Mapped[str] = mapped_column(String(16))
    specialist_type: Mapped[str | None] = mapped_column(String(8))
    org: Mapped[str] = mapped_column(String(200), default="")
    # How colleagues know them ("山田（保健師）"): shown to specialists on the notes they file.
    name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    area: Mapped[str | None] = mapped_column(String(40))  # None: every area
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("invites.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deactivated_at: Mapped[datetime | None]


class Invite(Base):
    """A one-time code: only its SHA-256 is kept; used once, before it expires."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    specialist_type: Mapped[str | None] = mapped_column(String(8))
    org: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    area: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))


class InviteFailure(Base):
    """A wrong code sent by someone: counted for the rate limit, never the code itself."""

    __tablename__ = "invite_failures"
    __table_args__ = (Index("ix_invite_failures_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("line_users.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ConcernNote(Base):
    """What a member filed (気になる家庭): the text, encrypted, and the taps that framed it."""

    __tablename__ = "concern_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("line_users.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(EncryptedText)
    stage: Mapped[str] = mapped_column(String(20))
    # The child's birth (or due) month, "YYYY-MM": the clock hands a case over when it turns one.
    birth_month: Mapped[str | None] = mapped_column(EncryptedText)
    area: Mapped[str] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(8))
    legal_basis: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    """A family's case with the specialists: begun by a member's note (K-0042), a parent's
    request (S-0042) or a danger signal in a parent's message (A-0042); the number is its id."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_area", "status", "area"),
        # The clock's morning queries (migration 0004).
        Index("ix_cases_status_follow_up", "status", "follow_up_on"),
        Index("ix_cases_status_updated", "status", "updated_at"),
        Index("ix_cases_status_created", "status", "created_at"),
        Index("ix_cases_status_closed", "status", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), default="note", server_default="note")
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("concern_notes.id", ondelete="CASCADE"), unique=True
    )
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_requests.id", ondelete="SET NULL"), unique=True
    )
    # The family's own LINE account, for a parent's request or alert: the bot relays between
    # them and the specialist (never shown to either side).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))
    language: Mapped[str | None] = mapped_column(String(8))  # the family's, shown as a fact
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # codes: an alert's categories …
    relay_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    stage: Mapped[str | None] = mapped_column(String(20))  # unknown for some parents' cases
    area: Mapped[str | None] = mapped_column(String(40))
    urgency: Mapped[str] = mapped_column(String(8))
    lead_type: Mapped[str] = mapped_column(String(8))
    # Who it was routed to, and who claimed it (the lead until someone claims).
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("line_users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(12), default="new")  # new | open | closed
    # Counts the state changes (claimed, handed over, closed): a button made before one of
    # them is stale, and a change it asks for is refused (messaging.postback.CaseTap).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_org: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def reference(self) -> str:
        return reference_of(self.kind, self.id)


class CaseEvent(Base):
    """One change to a case, with who and when. ``detail`` holds codes; ``words`` any free text."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    words: Mapped[str | None] = mapped_column(EncryptedText)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Referral(Base):
    """A specialist's request to a provider organisation, and the provider's answer."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    org: Mapped[str] = mapped_column(String(200))
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("line_users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(12), default="requested")
    # How it was made: through the bot ("line"), or by phone, paper or email to a provider with
    # no registered members (its answer is then entered by the specialist).
    channel: Mapped[str] = mapped_column(String(8), default="line", server_default="line")
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    answered_by: Mapped[int | None] = mapped_column(
        ForeignKey("line_users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who saw a note's text, or was refused a case, and when: never the text itself.
    Written only by ``bot.cases.access``."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_case", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("line_users.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(Integer)  # a refused id may name no case
    action: Mapped[str] = mapped_column(String(20))  # view_note | view_consult | refused | purged
    detail: Mapped[str] = mapped_column(String(40), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Availability(Base):
    """A provider's places (空き状況), as one of its members answered a specialist's question or
    the clock's: open, few or none, for which stages, a note; dated. The latest answer of an
    organisation is what specialists see beside it when they refer."""

    __tablename__ = "provider_availability"
    __table_args__ = (Index("ix_provider_availability_org", "org", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))  # open | few | none
    stages: Mapped[list] = mapped_column(JSON, default=list)  # [] for every stage
    note: Mapped[str | None] = mapped_column(EncryptedText)
    answered_by: Mapped[int | None] = mapped_column(
        ForeignKey("line_users.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
