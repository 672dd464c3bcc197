"""What a report table is, and the list of tables a monthly report holds, in order.

A table is one function ``(ReportContext) -> Table``; adding one is writing the function and
naming it in ``TABLES``. Cells are already masked (``period.mask``) when a function returns them:
nothing unmasked leaves this package, so the CSVs, the charts and the page all show the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.i18n import Translator
from bot.reports.period import Month


@dataclass(frozen=True)
class Chart:
    """How a table is drawn: bar labels from one column, one series per value column."""

    label: int
    values: tuple[int, ...]
    unit: str = ""  # an axis caption (already translated)


@dataclass
class Table:
    name: str  # file names: <name>.csv, <name>.png
    title: str  # translated
    headers: list[str]  # translated
    rows: list[list] = field(default_factory=list)
    chart: Chart | None = None
    note: str = ""  # a line under the table (translated)


@dataclass(frozen=True)
class ReportContext:
    session: Session
    month: Month
    city: dict
    t: Translator


TableFunction = Callable[[ReportContext], Table]


def _tables() -> list[TableFunction]:
    # Imported here so the list reads as the report's contents, in the report's order.
    from bot.reports import tables_cases, tables_service

    return [
        tables_cases.notes_by_source,
        tables_cases.notes_by_area,
        tables_service.consultations_by_topic,
        tables_cases.cases_opened_closed,
        tables_cases.time_to_first_contact,
        tables_cases.referrals_by_answer,
        tables_service.reminders_by_kind,
        tables_service.friends_by_language,
        tables_service.dead_letters,
        # Waiting for features being built elsewhere (see docs/admin.md): outreach bookings,
        # danger answers by tier, questions the bot could not answer.
    ]


def build_tables(ctx: ReportContext) -> list[Table]:
    return [table(ctx) for table in _tables()]
