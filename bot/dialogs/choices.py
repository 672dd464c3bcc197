"""Answers several dialogs offer: the child's stage, the area, the weekday."""

from __future__ import annotations

from bot.cases.labels import STAGE_LABELS
from bot.cases.labels import area_name as city_area_name
from bot.dialogs.engine import Choice, Context
from bot.i18n import _

STAGE_CHOICES = [Choice(code, label) for code, label in STAGE_LABELS.items()]

WEEKDAY_CHOICES = [Choice("any", _("Any day"))] + [
    Choice(str(i), label)
    for i, label in enumerate(
        [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    )
]


def area_choices(ctx: Context) -> list[Choice]:
    """The city's areas (their names are the city's own words), and 'anywhere'."""
    areas = ctx.services.city.get("areas", []) if ctx.services else []
    # Area names are proper nouns from the city file: shown as they are in every language.
    return [Choice(a["id"], a["name"]) for a in areas] + [Choice("any", _("Anywhere"))]


def area_name(ctx: Context, area_id: str | None) -> str:
    return city_area_name(ctx.services.city if ctx.services else {}, area_id)
