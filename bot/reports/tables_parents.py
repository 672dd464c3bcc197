"""Report tables about what parents did on their own: outreach bookings (出張相談) and the
questions the bot could not answer. Neither table knows who: bookings are counted by area and
what became of them, questions by how they went unanswered."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.i18n import _
from bot.knowledge.gaps import CLOSEST, NOTHING, UNRELATED
from bot.knowledge.models import KbGap
from bot.outreach.models import BOOKED, CANCELLED, OutreachBooking
from bot.reports.period import mask
from bot.reports.table import Chart, ReportContext, Table

GAP_LABELS = {
    NOTHING: _("Nothing found"),
    CLOSEST: _("Only a weak match found"),
    UNRELATED: _("Only unrelated entries (told nothing fits)"),
}


def outreach_bookings(ctx: ReportContext) -> Table:
    """Bookings for sessions held in the month, by area: kept and cancelled."""
    t = ctx.t
    first, last = ctx.month.first_day, ctx.month.next().first_day
    found: dict[tuple[str, str], int] = {}
    for area, status, n in ctx.session.execute(
        select(OutreachBooking.area, OutreachBooking.status, func.count(OutreachBooking.id))
        .where(OutreachBooking.day >= first, OutreachBooking.day < last)
        .group_by(OutreachBooking.area, OutreachBooking.status)
    ).all():
        found[(area or "", status)] = n
    areas = [a.id for a in ctx.city.areas]
    areas += sorted({a for a, _s in found} - set(areas))
    booked = mask([found.get((a, BOOKED), 0) for a in areas])
    cancelled = mask([found.get((a, CANCELLED), 0) for a in areas])
    return Table(
        "outreach_bookings",
        t.gettext("Outreach consultation bookings (出張相談), by area"),
        [t.gettext("Area"), t.gettext("Booked"), t.gettext("Cancelled")],
        [
            [ctx.city.area_name(a, t.language) or a or "-", b, c]
            for a, b, c in zip(areas, booked, cancelled, strict=True)
        ],
        Chart(label=0, values=(1, 2)),
    )


def unanswered_questions(ctx: ReportContext) -> Table:
    """Questions kept for the editors this month, by how they went unanswered."""
    t = ctx.t
    first, last = ctx.month.first_day, ctx.month.next().first_day
    found = dict(
        ctx.session.execute(
            select(KbGap.kind, func.count(KbGap.id))
            .where(KbGap.asked_on >= first, KbGap.asked_on < last)
            .group_by(KbGap.kind)
        ).all()
    )
    values = mask([found.get(kind, 0) for kind in GAP_LABELS])
    return Table(
        "unanswered_questions",
        t.gettext("Questions the bot could not answer"),
        [t.gettext("How"), t.gettext("Questions")],
        [[t.gettext(label), v] for label, v in zip(GAP_LABELS.values(), values, strict=True)],
        Chart(label=0, values=(1,)),
        note=t.gettext("The questions themselves, grouped: the page “Unanswered questions”."),
    )
