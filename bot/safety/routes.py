"""Which emergency numbers to give for an assessment, from the city file's `emergency:` mapping.

By tier: an **emergency** puts 110/119 first; a **crisis** gives the category's own lines (189
and the local child guidance centre when a child may be at risk, the DV line, the suicide line)
with 110 after them for DV (a crisis only the safety net saw, whose kind no rule named, gets
the child's lines, the DV line and the suicide line); a **concern** gives the 24-hour lines a
tired parent can call — 189 (which also takes parents' own worries), the suicide line — and the
city's postnatal or parenting consultation when its file has one (`postnatal_line`,
`parenting_line`).
A key missing from a city's file is skipped, never an error: the other lines still go out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.city import City
from bot.safety.assessment import Assessment


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
    "parents_hotline": _("For parents too: when raising a child feels too hard (24 hours)"),
    "postnatal_line": _("After birth: your health centre's nurses and midwives listen"),
    "parenting_line": _("Your city's parenting consultation: a specialist can talk with you"),
}


@dataclass(frozen=True)
class EmergencyLine:
    name: str
    phone: str
    why: str  # a gettext message id, for the dialog to translate


def _concern_keys(a: Assessment) -> list[str]:
    """A parent near the end of their strength: lines to talk to, no 110/119."""
    keys = ["parents_hotline", "suicide_line"]
    if "postnatal_mood" in a.kinds or "bond" in a.kinds:
        keys.append("postnatal_line")
    return keys + ["parenting_line"]


def _keys(a: Assessment) -> list[str]:
    if a.tier == "concern":
        return _concern_keys(a)
    if a.net_only:  # the net knows danger, not its kind: every line a crisis may need
        lines = ["child_abuse_hotline", "child_guidance_centre", "dv_line", "suicide_line"]
        # Raised to an emergency by 今 or a place at hand (matcher._at_hand): 110 and 119 first,
        # the suicide line among the four buttons (橋の上 with a child is the likeliest reading).
        return ["police", "ambulance", "suicide_line", *lines[:3]] if a.urgent else lines
    cats = a.categories
    emergency = []
    if "medical" in cats or "suicide" in cats and a.urgent:
        emergency.append("ambulance")
    if "dv" in cats or a.urgent and cats & {"child_abuse", "suicide"}:
        emergency.append("police")
    # A parent's own wish to die: the line that listens to them comes before the child's lines,
    # or with a child named (110, 119, 189, the centre) it falls off the four buttons.
    lines = ["suicide_line"] if "suicide" in cats else []
    if a.child_at_risk or "child_abuse" in cats:
        lines += ["child_abuse_hotline", "child_guidance_centre"]
    if "dv" in cats:
        lines.append("dv_line")
    ordered = emergency + lines if a.urgent else lines + emergency
    if "medical" in cats:
        ordered.append("pediatric_night_line")  # secondary: for doubts, never instead of 119
    return ordered


def emergency_lines(assessment: Assessment, city: City) -> list[EmergencyLine]:
    """The numbers to show for this assessment, most important first."""
    lines: list[EmergencyLine] = []
    for key in _keys(assessment):
        # 189 for a parent's own worry is the child abuse hotline's number, said differently
        entry = city.emergency.get("child_abuse_hotline" if key == "parents_hotline" else key)
        if entry and all(line.phone != entry.phone for line in lines):
            lines.append(EmergencyLine(entry.name, entry.phone, WHY[key]))
    return lines
