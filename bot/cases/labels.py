"""Names of a case's own codes (message ids, translated where shown): its status, the actions
and outcomes a specialist records, a referral's answers, the events of its history. Stages,
urgencies and legal bases are the whole program's words: ``bot.vocabulary``."""

from __future__ import annotations

from bot.i18n import _

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
