"""Report tables about the service around the cases: consultations, reminders, friends of the
account by language, and messages LINE refused for good (dead letters)."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from sqlalchemy import and_, func, or_, select

from bot.consultations.models import ConsultationRequest
from bot.i18n import LANGUAGES, _
from bot.reports.period import mask
from bot.reports.table import Chart, ReportContext, Table
from bot.safety.models import DangerAnswer
from bot.scheduler.models import ReminderSent
from bot.storage.models import LineUser, OutboxMessage
from bot.vocabulary import TOPIC_LABELS

REMINDER_LABELS = {
    "followup": _("Follow-up due"),
    "unclaimed": _("Unclaimed note"),
    "unclaimed_admin": _("Unclaimed note (to admins)"),
    "stale": _("No action for a while"),
    "handover": _("Time to hand over"),
    "referral_provider": _("Referral unanswered (to provider)"),
    "referral_specialist": _("Referral unanswered (to specialist)"),
    "urgent_unclaimed": _("Urgent note unclaimed"),
    "dead_letter": _("Dead letter reported"),
    "monthly_summary": _("Monthly summary"),
}
INTERNAL_KINDS = ("morning",)  # a business morning's batch key: not a reminder anyone got


def _in_month(column, ctx: ReportContext):
    return (column >= ctx.month.start) & (column < ctx.month.end)


def consultations_by_topic(ctx: ReportContext) -> Table:
    t = ctx.t
    found = dict(
        ctx.session.execute(
            select(ConsultationRequest.topic, func.count(ConsultationRequest.id))
            .where(_in_month(ConsultationRequest.created_at, ctx))
            .group_by(ConsultationRequest.topic)
        ).all()
    )
    topics = [str(x) for x in TOPIC_LABELS] + sorted(x for x in found if x not in TOPIC_LABELS)
    values = mask([found.get(x, 0) for x in topics])
    return Table(
        "consultations_by_topic",
        t.gettext("Consultation requests by topic"),
        [t.gettext("Topic code"), t.gettext("Topic"), t.gettext("Requests")],
        [
            [x, t.gettext(TOPIC_LABELS[x]) if x in TOPIC_LABELS else x, v]
            for x, v in zip(topics, values, strict=True)
        ],
        Chart(label=1, values=(2,)),
    )


def reminders_by_kind(ctx: ReportContext) -> Table:
    t = ctx.t
    found = dict(
        ctx.session.execute(
            select(ReminderSent.kind, func.count(ReminderSent.id))
            .where(_in_month(ReminderSent.at, ctx), ReminderSent.kind.not_in(INTERNAL_KINDS))
            .group_by(ReminderSent.kind)
        ).all()
    )
    kinds = list(REMINDER_LABELS) + sorted(k for k in found if k not in REMINDER_LABELS)
    values = mask([found.get(k, 0) for k in kinds])
    return Table(
        "reminders_by_kind",
        t.gettext("Reminders sent by kind"),
        [t.gettext("Kind code"), t.gettext("Kind"), t.gettext("Reminders")],
        [
            [k, t.gettext(REMINDER_LABELS[k]) if k in REMINDER_LABELS else k, v]
            for k, v in zip(kinds, values, strict=True)
        ],
        Chart(label=1, values=(2,)),
    )


def friends_by_language(ctx: ReportContext) -> Table:
    """Friends of the account at the month's end and those who added it during the month."""
    t = ctx.t
    end = ctx.month.end
    still_friend = or_(
        LineUser.unfollowed_at.is_(None),
        LineUser.unfollowed_at >= end,
        and_(LineUser.followed_at > LineUser.unfollowed_at, LineUser.followed_at < end),
    )
    at_end = dict(
        ctx.session.execute(
            select(LineUser.language, func.count(LineUser.id))
            .where(LineUser.created_at < end, still_friend)
            .group_by(LineUser.language)
        ).all()
    )
    new = dict(
        ctx.session.execute(
            select(LineUser.language, func.count(LineUser.id))
            .where(_in_month(LineUser.followed_at, ctx))
            .group_by(LineUser.language)
        ).all()
    )
    # Each language named in the report's language (ベトナム語, Vietnamese): the chart's font
    # has the report language's script, not every language's own.
    names = {x: _language_name(x, t.language) for x in LANGUAGES}
    languages = list(names) + sorted(x for x in set(at_end) | set(new) if x not in names)
    ends = mask([at_end.get(x, 0) for x in languages])
    news = mask([new.get(x, 0) for x in languages])
    return Table(
        "friends_by_language",
        t.gettext("Friends by language"),
        [
            t.gettext("Language code"),
            t.gettext("Language"),
            t.gettext("Friends at the month's end"),
            t.gettext("New this month"),
        ],
        [[x, names.get(x, x), e, n] for x, e, n in zip(languages, ends, news, strict=True)],
        Chart(label=1, values=(2, 3)),
    )


def _language_name(code: str, language: str) -> str:
    try:
        return Locale.parse(code).get_display_name(language) or code
    except (ValueError, UnknownLocaleError):
        return code


_STATUS = re.compile(r"^HTTP (\d{3})")


def dead_letters(ctx: ReportContext) -> Table:
    """Messages given up for good this month, by LINE's answer (its status code, no content)."""
    t = ctx.t
    errors = ctx.session.scalars(
        select(OutboxMessage.last_error).where(
            OutboxMessage.status == "dead", _in_month(OutboxMessage.created_at, ctx)
        )
    ).all()
    counts: dict[str, int] = {}
    for error in errors:
        m = _STATUS.match(error or "")
        key = f"HTTP {m[1]}" if m else t.gettext("Other")
        counts[key] = counts.get(key, 0) + 1
    keys = sorted(counts)
    values = mask([counts[k] for k in keys])
    return Table(
        "dead_letters",
        t.gettext("Dead letters (messages given up)"),
        [t.gettext("LINE's answer"), t.gettext("Messages")],
        [[k, v] for k, v in zip(keys, values, strict=True)],
        Chart(label=0, values=(1,)),
    )


TIER_LABELS = {
    "emergency": _("Emergency (110/119)"),
    "crisis": _("Crisis (189, the lines, an alert)"),
    "concern": _("Concern (a warm answer, the lines)"),
}


def danger_answers_by_tier(ctx: ReportContext) -> Table:
    """How often the bot answered danger, by tier (it keeps no user and no words of them)."""
    t = ctx.t
    found = dict(
        ctx.session.execute(
            select(DangerAnswer.tier, func.count(DangerAnswer.id))
            .where(_in_month(DangerAnswer.at, ctx))
            .group_by(DangerAnswer.tier)
        ).all()
    )
    values = mask([found.get(tier, 0) for tier in TIER_LABELS])
    return Table(
        "danger_answers_by_tier",
        t.gettext("Danger signs answered, by tier"),
        [t.gettext("Tier code"), t.gettext("Tier"), t.gettext("Answers")],
        [
            [tier, t.gettext(label), v]
            for (tier, label), v in zip(TIER_LABELS.items(), values, strict=True)
        ],
        Chart(label=1, values=(2,)),
    )
