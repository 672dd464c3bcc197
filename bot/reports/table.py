"""What a report table is: its title, headers, (masked) rows and how it is drawn, and what a
table function is given (the session, the month, the city, a translator)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.city import City
from bot.i18n import Translator
from bot.reports.period import Month


@dataclass(frozen=True)
class Chart:
    """How a table is drawn: bar labels from one column, one series per value column."""

    label: int | tuple[int, ...]  # several columns: their cells joined (「終了: 転出」)
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
    city: City
    t: Translator
