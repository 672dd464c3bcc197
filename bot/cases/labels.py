"""Names of a case's codes (message ids, translated where shown). Imports nothing of the bot's
dialogs, so the note dialog can use them without a cycle."""

from __future__ import annotations

from bot.i18n import _

# A family's stage (seed part ③); the dialogs' stage buttons are made from these.
STAGE_LABELS = {
    "pregnancy": _("Pregnancy"),
    "age0": _("Age 0"),
    "age1_2": _("Age 1–2"),
    "age3_preschool": _("Age 3 to school"),
    "school": _("School age"),
}
URGENCY_LABELS = {"normal": _("Normal"), "soon": _("Soon"), "urgent": _("Urgent")}
BASIS_LABELS = {
    "consent": _("Parent's consent"),
    "network": _("Shared within the protection network (要対協)"),
}
TYPE_LABELS = {"basic": _("Basic type (support centre)"), "mch": _("MCH type (health centre)")}
STATUS_LABELS = {"new": _("Not yet claimed"), "open": _("In progress"), "closed": _("Closed")}
ACTION_LABELS = {
    "visited": _("Home visit"),
    "called": _("Phone call"),
    "salon": _("Met at a salon"),
    "consulted": _("Consultation"),
    "meeting": _("Case meeting"),
    "other": _("Other"),
}
OUTCOME_LABELS = {
    # Button labels too: at most 20 characters in every language.
    "connected": _("Connected"),
    "declined": _("Family declined"),
    "moved": _("Moved away"),
    "protection": _("To protection"),
}
REFERRAL_LABELS = {
    "requested": _("Asked"),
    "accepted": _("Can accept"),
    "started": _("Started using"),
    "declined": _("Cannot"),
}
EVENT_LABELS = {
    "filed": _("Note filed"),
    "claimed": _("Claimed"),
    "action": _("Action"),
    "follow_up": _("Follow-up date set"),
    "referred": _("Referred"),
    "referral_answer": _("Provider answered"),
    "handed_over": _("Handed over"),
    "closed": _("Closed"),
}


def area_name(city: dict, area_id: str | None) -> str:
    for area in city.get("areas") or []:
        if area.get("id") == area_id:
            return area.get("name", area_id)
    return area_id or ""
