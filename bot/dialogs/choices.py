"""Answers several dialogs offer: the child's stage, the area, the weekday."""

from __future__ import annotations

from bot.dialogs.engine import Choice, Context
from bot.i18n import _

STAGE_CHOICES = [
    Choice("pregnancy", _("Pregnancy")),
    Choice("age0", _("Age 0")),
    Choice("age1_2", _("Age 1–2")),
    Choice("age3_preschool", _("Age 3 to school")),
    Choice("school", _("School age")),
]
STAGE_LABELS = {c.value: c.label for c in STAGE_CHOICES}

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
    areas = ctx.services.city.get("areas", []) if ctx.services else []
    return next((a["name"] for a in areas if a["id"] == area_id), "")
