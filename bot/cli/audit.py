"""``python -m bot audit export --since DATE [--out FILE]``: the audit trail as CSV."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.context import AppContext, pass_app


@click.group()
def audit() -> None:
    """The audit trail: who viewed or changed which case, and when (codes and ids only)."""


@audit.command("export")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), required=True, help="YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD (inclusive).")
@click.option("--out", type=click.Path(path_type=Path), help="A CSV file (default: stdout).")
@pass_app
def export(app: AppContext, since, until, out: Path | None) -> None:
    """Write audit entries and case events from a day on (Asia/Tokyo) as CSV."""
    from bot.admin.audit import audit_csv, audit_rows

    with app.database.reading() as session:
        rows = audit_rows(session, since.date(), until.date() if until else None)
    text = audit_csv(rows)
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8-sig", newline="")
    click.echo(f"{len(rows)} rows written to {out}", err=True)
