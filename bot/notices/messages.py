"""What the page and the command say about a notice (message ids, translated where shown)."""

from __future__ import annotations

from bot.i18n import _

REFUSALS = {
    "empty": _("Write the notice's text."),
    "too_long": _("A notice is at most 5,000 characters."),
    "quota_unknown": _("LINE's message quota could not be read, so nothing was sent. Try again."),
    "over_quota": _(
        "The notice would go to more people than this month's message quota has left: "
        "nothing was sent. Narrow the filters or wait for next month."
    ),
    "bad_filter": _("Choose a stage, an area and a language from the lists."),
}
