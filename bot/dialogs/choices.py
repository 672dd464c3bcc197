"""Answers several dialogs offer: the child's stage, the area, the weekday."""

from __future__ import annotations

from bot.dialogs.engine import Choice, Context
from bot.i18n import _
from bot.vocabulary import STAGE_LABELS

STAGE_CHOICES = [Choice(code, label) for code, label in STAGE_LABELS.items()]

ANY = "any"  # the value of "any day" and "anywhere"
WEEKDAY_CHOICES = [Choice(ANY, _("Any day"))] + [
    Choice(str(i), label)
    for i, label in enumerate(
        [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    )
]


def area_choices(ctx: Context) -> list[Choice]:
    """The city's areas, named in the person's language where the city file gives one."""
    return [Choice(a.id, a.label(ctx.t.language)) for a in ctx.city.areas]


def area_or_anywhere(ctx: Context) -> list[Choice]:
    return [*area_choices(ctx), Choice(ANY, _("Anywhere"))]
