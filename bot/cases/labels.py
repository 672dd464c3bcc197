"""Names of a case's own codes (message ids, translated where shown): its status, a referral's
state, the events of its history. What the dialogs offer (stages, actions, outcomes, answers)
is the whole program's words: ``bot.vocabulary``."""

from __future__ import annotations

from bot.i18n import _

STATUS_LABELS = {"new": _("Not yet claimed"), "open": _("In progress"), "closed": _("Closed")}
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
    "signal": _("Danger signs again"),
    "alerted": _("Specialists alerted"),
    "memo": _("Memo"),
    "message": _("Message"),
    "relay_ended": _("Conversation ended"),
}
