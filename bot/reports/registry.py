"""The list of tables a monthly report holds, in order.

A table is one function ``(ReportContext) -> Table`` (``table.py``); adding one is writing the
function and naming it in ``TABLES``. Cells are already masked (``period.mask``) when a function
returns them: nothing unmasked leaves this package, so the CSVs, the charts and the page agree.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.reports import tables_cases, tables_parents, tables_service
from bot.reports.table import ReportContext, Table

TableFunction = Callable[[ReportContext], Table]

TABLES: list[TableFunction] = [
    tables_cases.notes_by_source,
    tables_cases.notes_by_area,
    tables_service.consultations_by_topic,
    tables_cases.cases_opened_closed,
    tables_cases.time_to_first_contact,
    tables_cases.referrals_by_answer,
    tables_service.reminders_by_kind,
    tables_service.friends_by_language,
    tables_service.dead_letters,
    tables_service.danger_answers_by_tier,
    tables_parents.outreach_bookings,
    tables_parents.unanswered_questions,
]


def build_tables(ctx: ReportContext) -> list[Table]:
    return [table(ctx) for table in TABLES]
