"""What a finished dialog decided, as typed values: the commands of the domain.

A dialog returns one on its last step; the router (``bot.handlers.router``) holds one table from
each kind to the handler that carries it out through a domain service, which takes the intent
as it is (``bot.cases.workflow.file_note`` takes a ``FileNote``). Dialogs only say what they
decided; filing, recording, searching and pushing happen there.
"""

from __future__ import annotations

from dataclasses import dataclass

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
class ShowSalons:
    """This week's salons for a stage, near the area when there are some (``bot.knowledge``)."""

    stage: Stage
    area: str | None
