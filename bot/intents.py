"""What a finished dialog decided, as typed values: the commands of the domain.

A dialog returns one on its last step; the router (``bot.handlers.router``) holds one table from
each kind to the handler that carries it out through a domain service, which takes the intent
as it is (``bot.cases.workflow.file_note`` takes a ``FileNote``). Dialogs only say what they
decided; filing, recording, searching and pushing happen there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.vocabulary import LegalBasis, Stage, Topic, Urgency


@dataclass(frozen=True)
class FileNote:
    """A member's concern note, complete: it becomes a case (``bot.cases.workflow``)."""

    text: str
    stage: Stage
    area: str
    urgency: Urgency
    basis: LegalBasis
    birth_month: str | None = None  # "YYYY-MM"
    danger: bool = False  # the words carry danger signs: filed and routed as urgent


@dataclass(frozen=True)
class RequestConsultation:
    """A parent asks a specialist to get in touch (``bot.consultations``)."""

    topic: Topic
    detail: str | None
    contact: str  # "line", or a phone number


@dataclass(frozen=True)
class DeclineReferral:
    """A provider cannot take a referred family, and says why (``bot.cases.workflow``)."""

    referral: int
    reason: str


@dataclass(frozen=True)
class ShowResults:
    """The guided search's answer: services for a stage, area and weekday (``bot.knowledge``)."""

    stage: Stage | None
    area: str | None
    weekday: int | None  # 0 = Monday; None: any day


@dataclass(frozen=True)
class SearchFor:
    """A parent's question made precise by a clarifying answer: search it for these kinds of
    service (「預けたい」 + 「数時間だけ」 → 一時預かり, ファミリー・サポート)."""

    question: str
    look_for: tuple[str, ...]


@dataclass(frozen=True)
class ShowSalons:
    """This week's salons for a stage, near the area when there are some (``bot.knowledge``)."""

    stage: Stage
    area: str | None


# ---------------------------------------------------------------- a specialist's case work
# Each names its case by id; the handler checks again that the speaker may act on it, that it is
# still open and, for a change of state, that it has not changed since the question was asked.


@dataclass(frozen=True)
class LogAction:
    case: int
    action: str  # a code of vocabulary.ACTION_LABELS
    memo: str | None = None


@dataclass(frozen=True)
class AddMemo:
    case: int
    words: str


@dataclass(frozen=True)
class CloseCase:
    case: int
    version: int
    outcome: str  # a code of vocabulary.OUTCOME_LABELS the city offers


@dataclass(frozen=True)
class HandOver:
    case: int
    version: int
    memo: str | None = None


@dataclass(frozen=True)
class Refer:
    case: int
    org: str
    channel: str  # "line" (its members answer in the chat), or phone / paper / email


@dataclass(frozen=True)
class RecordAnswer:
    """A specialist enters a provider's answer given by phone, on paper or by email."""

    referral: int
    answer: str  # accepted | started | declined
    reason: str | None = None


@dataclass(frozen=True)
class AnswerAvailability:
    """A provider's member says how many places they have, for which stages."""

    status: str  # a code of vocabulary.AVAILABILITY_LABELS
    stages: tuple[str, ...]  # () for every stage
    note: str | None = None


@dataclass(frozen=True)
class RelayToParent:
    """A specialist's words for the parent of a request or alert, sent from the city's account."""

    case: int
    words: str


@dataclass(frozen=True)
class ScheduleMeeting:
    """A specialist calls the network meeting of an area (地域子育て支援ネットワーク)."""

    area: str
    day: date
    time: str  # "HH:MM", Tokyo
    place: str


@dataclass(frozen=True)
class LanguageChosen:
    """The person chose the language the bot speaks: their menu follows (``bot.messaging``);
    a question asked before the choice is answered then."""

    language: str
    question: str | None = None
    changed: bool = True


@dataclass(frozen=True)
class BookOutreach:
    """A parent books one slot of an outreach consultation (``bot.outreach``)."""

    key: str  # the session's knowledge-base entry
    day: date
    slot: str  # HH:MM


@dataclass(frozen=True)
class ChooseOutreach:
    """A parent wants to see the outreach sessions (from their bookings' list)."""


@dataclass(frozen=True)
class CancelBooking:
    """A parent cancels one of their bookings (the handler checks it is theirs)."""

    booking: int


@dataclass(frozen=True)
class ForgetMe:
    """A parent asks the city to delete what it keeps about them (``bot.privacy``)."""
