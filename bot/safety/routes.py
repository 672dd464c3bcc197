"""Which emergency numbers to give for an assessment, from the city file's `emergency:` mapping.

Urgent situations put 110/119 first; otherwise the category's own line comes first. A child who
may be at risk always brings the child abuse hotline (189) and the local child guidance centre.
A key missing from a city's file is skipped, never an error: the other lines still go out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.city import City
from bot.safety.matcher import Assessment


def _(message: str) -> str:
    """Marks a message for extraction; the dialog translates it when it renders the line."""
    return message


WHY = {
    "ambulance": _("It may be life-threatening: call 119 now"),
    "police": _("If danger is near, call 110"),
    "child_abuse_hotline": _("For a child's safety: advice and reports (24 hours)"),
    "child_guidance_centre": _("The child guidance centre for your area"),
    "dv_line": _("Help with violence from a partner"),
    "suicide_line": _("Someone to listen when things feel too hard"),
    "pediatric_night_line": _(
        "Sudden illness or injury, unsure whether to see a doctor (nights, holidays)"
    ),
}


@dataclass(frozen=True)
class EmergencyLine:
    name: str
    phone: str
    why: str  # a gettext message id, for the dialog to translate


def _keys(a: Assessment) -> list[str]:
    cats = a.categories
    emergency = []
    if "medical" in cats or "suicide" in cats and a.urgent:
        emergency.append("ambulance")
    if "dv" in cats or a.urgent and cats & {"child_abuse", "suicide"}:
        emergency.append("police")
    lines = []
    if a.child_at_risk or "child_abuse" in cats:
        lines += ["child_abuse_hotline", "child_guidance_centre"]
    if "dv" in cats:
        lines.append("dv_line")
    if "suicide" in cats:
        lines.append("suicide_line")
    ordered = emergency + lines if a.urgent else lines + emergency
    if "medical" in cats:
        ordered.append("pediatric_night_line")  # secondary: for doubts, never instead of 119
    return ordered


def emergency_lines(assessment: Assessment, city: City) -> list[EmergencyLine]:
    """The numbers to show for this assessment, most important first."""
    return [
        EmergencyLine(city.emergency[key].name, city.emergency[key].phone, WHY[key])
        for key in _keys(assessment)
        if key in city.emergency
    ]
