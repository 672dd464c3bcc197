"""What a case looks like in a push or a button: its summary line, the pushes that announce a
note, a request, an alert or a hand-over, the referral request to a provider. Never anyone's
words: those are shown only on demand, through ``access.read_words`` (audited)."""

from __future__ import annotations

from babel import Locale

from bot.cases.models import Case, Referral
from bot.city import City
from bot.i18n import DEFAULT_LANGUAGE, Translator
from bot.messaging.builders import Action, Message, buttons, postback
from bot.messaging.postback import CaseTap, Command, ReferralAnswerTap
from bot.vocabulary import (
    ANSWER_LABELS,
    DANGER_LABELS,
    STAGE_LABELS,
    TOPIC_LABELS,
    TYPE_LABELS,
    URGENCY_LABELS,
)


def summary(t: Translator, case, city: City) -> str:
    """K-0042・0歳・北地区・至急: what a push may say about a case (a Case or a CaseLine);
    a stage or area nobody told us is left out."""
    parts = [case.reference]
    if case.stage:
        parts.append(t.gettext(STAGE_LABELS[case.stage]))
    if case.area:
        parts.append(city.area_name(case.area))
    parts.append(t.gettext(URGENCY_LABELS[case.urgency]))
    return "・".join(parts)


def language_fact(t: Translator, language: str | None) -> str:
    """「英語を希望」: the family's language, said as a fact so an interpreter can be brought."""
    if not language or language == DEFAULT_LANGUAGE:
        return ""
    name = Locale.parse(language).get_display_name(t.language) or language
    return t.gettext("Prefers {language}", language=name)


def dangers(t: Translator, case) -> str:
    return "、".join(t.gettext(DANGER_LABELS.get(c, c)) for c in case.detail.get("categories", ()))


def case_button(label: str, command: Command, case: Case, choice: str | None = None) -> Action:
    """A button about a case, stamped with its version (an older one will not change it)."""
    return postback(label, CaseTap(command, case.id, case.version, choice).pack())


def open_button(t: Translator, case) -> Action:
    """Opening a case needs no version: it shows the case as it is now."""
    return postback(t.gettext("Open"), CaseTap(Command.CASE, case.id).pack())


def _push(head: str, lines: list[str], actions: list[Action], case) -> Message:
    body = "\n".join([head, *(line for line in lines if line)])
    return buttons(body, actions, alt_text=f"{head} {case.reference}")


def new_case_push(t: Translator, case: Case, city: City, *, lead: bool) -> Message:
    """A new note routed to a specialist: reference, stage, area, urgency and buttons only."""
    if lead:
        head = t.gettext("New concern note for you")
    else:
        head = t.gettext("New concern note (for your information: the other type leads)")
    actions = [
        case_button(t.gettext("Read the note"), Command.CASE_NOTE, case),
        case_button(t.gettext("Claim"), Command.CLAIM, case),
        open_button(t, case),
    ]
    return _push(head, [summary(t, case, city)], actions, case)


def handed_over_push(t: Translator, case: Case, city: City, before: str) -> Message:
    head = t.gettext("Handed over to you from the {type}", type=t.gettext(TYPE_LABELS[before]))
    actions = [
        case_button(t.gettext("Read the note"), Command.CASE_NOTE, case),
        case_button(t.gettext("Claim"), Command.CLAIM, case),
        open_button(t, case),
    ]
    return _push(head, [summary(t, case, city)], actions, case)


def new_request_push(t: Translator, case: Case, city: City) -> Message:
    """A parent's request: its topic and the family's language, never their words."""
    head = t.gettext("New consultation request for you")
    topic = t.gettext(TOPIC_LABELS.get(case.detail.get("topic"), TOPIC_LABELS["other"]))
    actions = [
        case_button(t.gettext("Open the request"), Command.CASE_NOTE, case),
        case_button(t.gettext("Claim"), Command.CLAIM, case),
        open_button(t, case),
    ]
    lines = [summary(t, case, city), topic, language_fact(t, case.language)]
    return _push(head, lines, actions, case)


def new_alert_push(t: Translator, case: Case, city: City) -> Message:
    """Danger signs in a parent's message: what kind (the parent already has the numbers)."""
    head = t.gettext("Urgent: danger signs in a parent's message")
    actions = [case_button(t.gettext("Claim"), Command.CLAIM, case), open_button(t, case)]
    lines = [summary(t, case, city), dangers(t, case), language_fact(t, case.language)]
    return _push(head, lines, actions, case)


def referral_request(t: Translator, case, referral: Referral, city: City) -> Message:
    """A provider is asked whether it can take a family on: the summary, never the note."""
    body = t.gettext(
        "A specialist asks whether your organisation can take on a family "
        "({summary}). They will contact you with the details. Please answer:",
        summary=summary(t, case, city),
    )
    actions = [
        postback(t.gettext(label), ReferralAnswerTap(referral.id, a).pack(), t.gettext(label))
        for a, label in ANSWER_LABELS.items()
    ]
    return buttons(body, actions, alt_text=t.gettext("Referral request {ref}", ref=case.reference))
