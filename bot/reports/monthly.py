"""A month's report: every table of the registry, written as CSV files and PNG charts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.city import City
from bot.i18n import Translator
from bot.reports.charts import render_png
from bot.reports.period import Month
from bot.reports.registry import build_tables
from bot.reports.table import ReportContext, Table


@dataclass
class Report:
    month: Month
    tables: list[Table]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def build_report(session: Session, month: Month, city: City, language: str = "ja") -> Report:
    ctx = ReportContext(session=session, month=month, city=city, t=Translator(language))
    return Report(month, build_tables(ctx))


def table_csv(table: Table) -> str:
    """The table as CSV text: a header line, then its (masked) rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return out.getvalue()


def write_report(report: Report, out: Path) -> list[Path]:
    """One CSV per table (UTF-8 with BOM, as Excel opens it) and one PNG per chart."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables:
        path = out / f"{table.name}.csv"
        path.write_text(table_csv(table), encoding="utf-8-sig", newline="")
        written.append(path)
        if table.chart is not None:
            png = out / f"{table.name}.png"
            png.write_bytes(render_png(table))
            written.append(png)
    return written
