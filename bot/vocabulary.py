"""The program's own codes, one name each: roles, stages, specialist types, urgencies, legal
bases, consultation topics — and the message ids that name them to people.

Codes are ``StrEnum`` members, so they are plain strings in the database, in JSON and in
postback data, and a typo fails at import instead of when a user reaches it. Labels are
gettext message ids, translated where they are shown.
"""

from __future__ import annotations

from enum import StrEnum

from bot.i18n import _


class Role(StrEnum):
    """Who is speaking: anyone is a parent until an invite code says otherwise."""

    PARENT = "parent"
    MEMBER = "member"  # a network member: salon staff, nurses, school and nursery staff
    SPECIALIST = "specialist"  # 利用者支援専門員
    ADMIN = "admin"  # the city's children's division


EVERYONE = frozenset(Role)
# Registered by an invite code: they have a Staff record.
STAFF_ROLES = frozenset({Role.MEMBER, Role.SPECIALIST, Role.ADMIN})
# Those who open and work cases.
CASE_WORKERS = frozenset({Role.SPECIALIST, Role.ADMIN})
MEMBERS = frozenset({Role.MEMBER})


class SpecialistType(StrEnum):
    BASIC = "basic"  # 基本型, at the childcare support centre
    MCH = "mch"  # 母子保健型, at the health centre

    @property
    def other(self) -> SpecialistType:
        return SpecialistType.MCH if self is SpecialistType.BASIC else SpecialistType.BASIC


class Stage(StrEnum):
    """A family's stage, from pregnancy to school age (seed part ③)."""

    PREGNANCY = "pregnancy"
    AGE0 = "age0"
    AGE1_2 = "age1_2"
    AGE3_PRESCHOOL = "age3_preschool"
    SCHOOL = "school"


# Pregnancy and infancy: the 母子保健型 leads; from age one, the 基本型.
MCH_STAGES = frozenset({Stage.PREGNANCY, Stage.AGE0})


def lead_type_for(stage: str) -> SpecialistType:
    return SpecialistType.MCH if stage in MCH_STAGES else SpecialistType.BASIC


class CaseKind(StrEnum):
    """What a case began as: a member's note, a parent's request, a danger signal."""

    NOTE = "note"  # K-0042: a network member's concern note (気になる家庭)
    CONSULT = "consult"  # S-0042: a parent asked for a specialist (相談の申込み)
    ALERT = "alert"  # A-0042: a parent's message carried danger signs

    @property
    def prefix(self) -> str:
        return {"note": "K", "consult": "S", "alert": "A"}[self.value]


def reference_of(kind: str, case_id: int) -> str:
    """K-0042, S-0042, A-0042: one number per case, whatever its kind, so a number is never
    ambiguous."""
    return f"{CaseKind(kind).prefix}-{case_id:04d}"


class Urgency(StrEnum):
    NORMAL = "normal"
    SOON = "soon"
    URGENT = "urgent"


class LegalBasis(StrEnum):
    """Why a note may be shared: the family's consent, the protection network (要対協), or a
    report of suspected abuse (児童虐待防止法 第6条 通告: no consent needed, always urgent)."""

    CONSENT = "consent"
    NETWORK = "network"
    REPORT = "report"


class Topic(StrEnum):
    """What a parent's consultation request is about."""

    CHILDCARE = "childcare"
    WORRIES = "worries"
    DEVELOPMENT = "development"
    PREGNANCY = "pregnancy"
    MONEY = "money"
    OTHER = "other"


# ---------------------------------------------------------------- labels (message ids)
# Button labels too: at most 20 characters in every language (a test checks).

STAGE_LABELS = {
    Stage.PREGNANCY: _("Pregnancy"),
    Stage.AGE0: _("Age 0"),
    Stage.AGE1_2: _("Age 1–2"),
    Stage.AGE3_PRESCHOOL: _("Age 3 to school"),
    Stage.SCHOOL: _("School age"),
}
URGENCY_LABELS = {
    Urgency.NORMAL: _("Normal"),
    Urgency.SOON: _("Soon"),
    Urgency.URGENT: _("Urgent"),
}
BASIS_LABELS = {
    LegalBasis.CONSENT: _("Parent's consent"),
    LegalBasis.NETWORK: _("Shared within the protection network (要対協)"),
    LegalBasis.REPORT: _("Report of suspected abuse (通告)"),
}
TYPE_LABELS = {
    SpecialistType.BASIC: _("Basic type (support centre)"),
    SpecialistType.MCH: _("MCH type (health centre)"),
}
TOPIC_LABELS = {
    Topic.CHILDCARE: _("Nursery/kindergarten"),
    Topic.WORRIES: _("Parenting worries"),
    Topic.DEVELOPMENT: _("Growth/development"),
    Topic.PREGNANCY: _("Pregnancy and birth"),
    Topic.MONEY: _("Money/procedures"),
    Topic.OTHER: _("Something else"),
}

# What a specialist records and how a case ends (a city file lists which outcomes it offers).
ACTION_LABELS = {
    "visited": _("Home visit"),
    "called": _("Phone call"),
    "salon": _("Met at a salon"),
    "consulted": _("Consultation"),
    "meeting": _("Case meeting"),
    "other": _("Other"),
}
OUTCOME_LABELS = {
    "connected": _("Connected"),
    "declined": _("Family declined"),
    "moved": _("Moved away"),
    "protection": _("To protection"),
    "watching": _("Keep watching"),
    "other": _("Other"),
}
# A provider's answers to a referral, as the buttons say them.
ANSWER_LABELS = {
    "accepted": _("Can accept"),
    "started": _("Started using"),
    "declined": _("Cannot (reason)"),
}
# How a referral to a provider with no registered members was made.
CHANNEL_LABELS = {
    "phone": _("By phone"),
    "paper": _("On paper"),
    "email": _("By email"),
}
# What a danger alert is about (codes of bot.safety), as a push may name it.
DANGER_LABELS = {
    "child_abuse": _("a child may be at risk"),
    "dv": _("violence at home"),
    "suicide": _("thoughts of suicide"),
    "medical": _("a medical emergency"),
    "net": _("danger signs of an unnamed kind"),
}

# A provider's places (空き状況), as its members answer.
AVAILABILITY_LABELS = {
    "open": _("Places free"),
    "few": _("A few places"),
    "none": _("No places"),
}
