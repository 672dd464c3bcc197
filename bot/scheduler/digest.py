"""The pushes the clock writes: one per person per morning, bundling their reminders.

Like every push about a case they carry a reference, stage, area and urgency (messages.summary)
and buttons, never a family's details.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cases import messages
from bot.cases.messages import referral_request
from bot.cases.models import Referral
from bot.city import City
from bot.i18n import Translator, _
from bot.messaging.builders import Message, buttons, postback, text
from bot.messaging.postback import CaseTap, Command
from bot.vocabulary import reference_of


@dataclass(frozen=True)
class CaseLine:
    """What a push may show of a case (messages.summary reads these fields of a Case)."""

    id: int
    kind: str
    stage: str | None
    area: str | None
    urgency: str
    version: int  # what the case's buttons must carry to change it

    @property
    def reference(self) -> str:
        return reference_of(self.kind, self.id)


# The digest's sections, in the order they are shown.
SECTIONS = {
    "followup": _("Follow-ups due"),
    "unclaimed": _("Notes nobody has claimed yet"),
    "unclaimed_admin": _(
        "Notes still unclaimed a business day after the specialists were reminded"
    ),
    "stale": _("No action recorded for {days} business days"),
    "handover": _("The child has turned one: time to hand over to the basic type"),
    "referral_specialist": _("Referrals the provider has not answered"),
    "partner": _("Filed for the other type since the last business morning (for information)"),
}
OUTREACH_SECTION = _("Outreach consultations booked (出張相談)")
SECTION_LINES = 20  # lines per section before "… and N more" (a text is at most 5,000 chars)
MORE = _("… and {n} more")
QUICK_OPEN = 13  # LINE shows at most 13 quick-reply buttons
PROVIDER_CARDS = 4  # a push holds five messages: the header and four requests


def digest(
    t: Translator,
    items: dict[str, list[CaseLine]],
    city: City,
    *,
    moment,
    stale_days: int,
    quota_note: str | None = None,
    can_open: bool = True,
    outreach: list[str] | None = None,
) -> Message:
    """A specialist's (or admin's) morning: one text, a section per kind, Open buttons."""
    lines = [t.gettext("Good morning. Your reminders for {day}:", day=t.date(moment))]
    shown: dict[int, CaseLine] = {}
    for kind, heading in SECTIONS.items():
        cases = sorted(items.get(kind) or [], key=lambda case: case.id)
        if not cases:
            continue
        lines += ["", "■ " + t.gettext(heading, days=stale_days)]
        lines += [messages.summary(t, case, city) for case in cases[:SECTION_LINES]]
        if len(cases) > SECTION_LINES:
            lines.append(t.gettext(MORE, n=len(cases) - SECTION_LINES))
        shown |= {case.id: case for case in cases if case.id not in shown}
    if outreach:
        lines += ["", "■ " + t.gettext(OUTREACH_SECTION)]
        lines += outreach[:SECTION_LINES]
        if len(outreach) > SECTION_LINES:
            lines.append(t.gettext(MORE, n=len(outreach) - SECTION_LINES))
    if quota_note:
        lines += ["", quota_note]
    opens = (
        [
            postback(
                t.gettext("Open {ref}", ref=case.reference), CaseTap(Command.CASE, case.id).pack()
            )
            for case in list(shown.values())[:QUICK_OPEN]
        ]
        if can_open
        else None
    )
    return text("\n".join(lines), opens)


def provider_reminder(
    t: Translator, pairs: list[tuple[Referral, CaseLine]], city: City
) -> list[Message]:
    """A provider's member: the requests still waiting, the oldest with their answer buttons
    again (one push: a header and at most four requests)."""
    head = t.gettext(
        "Reminder: {n} referral requests are still waiting for your answer.", n=len(pairs)
    )
    pairs = sorted(pairs, key=lambda pair: pair[0].id)[:PROVIDER_CARDS]
    return [text(head), *(referral_request(t, case, referral, city) for referral, case in pairs)]


def urgent_unclaimed(t: Translator, case: CaseLine, city: City, *, can_claim: bool) -> Message:
    """An urgent note nobody has claimed: one message per case, with its buttons."""
    head = t.gettext("Urgent note still unclaimed after an hour")
    actions = [messages.open_button(t, case)]
    if can_claim:
        actions.insert(0, messages.case_button(t.gettext("Claim"), Command.CLAIM, case))
    return buttons(
        f"{head}\n{messages.summary(t, case, city)}", actions, alt_text=f"{head} {case.reference}"
    )


def quota_low(t: Translator, left: int, total: int) -> str:
    return t.gettext(
        "The bot's monthly message quota is running low: {left} of {total} pushes left.",
        left=left,
        total=total,
    )


def dead_letters(t: Translator, rows: list[tuple[int, str | None]]) -> Message:
    """For admins: pushes LINE refused for good (ids and LINE's error, never the content)."""
    lines = [t.gettext("These messages could not be delivered and were given up:")]
    lines += [f"#{oid}: {error or '?'}" for oid, error in rows[:SECTION_LINES]]
    if len(rows) > SECTION_LINES:
        lines.append(t.gettext(MORE, n=len(rows) - SECTION_LINES))
    return text("\n".join(lines))
