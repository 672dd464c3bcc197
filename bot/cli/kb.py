"""``python -m bot kb …``: import, export and search the knowledge base from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.city import City, load_city
from bot.cli.context import AppContext, pass_app
from bot.config import SAMPLE_CITY
from bot.knowledge import gaps
from bot.knowledge.cards import card_data
from bot.knowledge.importers import import_paths
from bot.knowledge.search import SearchIndex
from bot.knowledge.store import load_entries


def city_files(city: City) -> list[Path]:
    """A city's own knowledge: its file (organizations) and the files it lists."""
    return [city.path, *city.knowledge_files]


@click.group("kb")
def kb() -> None:
    """The knowledge base: services, salons and events."""


@kb.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--sample", is_flag=True, help="Import the shipped sample city (idempotent).")
@click.option("--city", "with_city", is_flag=True, help="Import the files BOT_CITY lists.")
@pass_app
def import_command(app: AppContext, paths: tuple[Path, ...], sample: bool, with_city: bool):
    """Import YAML or open-data CSV files; nothing changes if any row is bad."""
    city = load_city(SAMPLE_CITY) if sample else app.city
    files = list(paths)
    if sample or with_city:
        files = city_files(city) + files
    if not files:
        raise click.UsageError("name at least one file, or --sample / --city")
    report = import_paths(app.database, files, city=city)
    click.echo(report.summary(), err=not report.ok)
    if not report.ok:
        sys.exit(1)


@kb.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "hsds", "csv"]),
    default="yaml",
    show_default=True,
    help="yaml: the project's format; hsds: Open Referral HSDS 3.0 JSON; "
    "csv: the national 子育て施設一覧 and イベント一覧 (a folder).",
)
@click.option("--out", type=click.Path(path_type=Path), help="A file (a folder for csv).")
@pass_app
def export_command(app: AppContext, fmt: str, out: Path | None) -> None:
    """Write the whole knowledge base out: YAML (default), HSDS JSON or open-data CSVs."""
    from bot.knowledge.opendata_out import write_export

    try:
        for line in write_export(app.database, app.city, fmt, out, app.today()):
            click.echo(line, nl=False)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@kb.command("search")
@click.argument("queries", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per query per line.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date for next sessions.")
@pass_app
def search_command(app: AppContext, queries: tuple[str, ...], as_json: bool, limit: int, today):
    """Search as a parent would ask, e.g. 「1歳 土曜 サロン」."""
    day = today.date() if today else app.today()
    city = app.city
    index = SearchIndex.build(load_entries(app.database), city=city)
    for query in queries:
        result = index.search(query, limit=limit, today=day)
        if as_json:
            results = [
                {"id": h.entry.key, "name": h.entry.name, "score": h.score}
                | card_data(h.entry, day, city).as_dict()
                for h in result.results
            ]
            line = {
                "query": query,
                "results": results,
                "facets": result.facets.as_dict(),
                "relaxed": result.relaxed,
                "fuzzy": result.fuzzy,
                "answers": [h.entry.key for h in result.answers],
                "needs": list(result.needs),
                "unrelated": result.unrelated,
            }
            click.echo(json.dumps(line, ensure_ascii=False, default=str))
            continue
        click.echo(f"# {query}")
        if result.relaxed:
            click.echo(f"  (no exact match; relaxed: {', '.join(result.relaxed)})")
        for h in result.results:
            card = card_data(h.entry, day, city)
            when = f" — {card.when[0]}" if card.when else ""
            click.echo(f"  {h.score:7.2f}  {h.entry.name} [{h.entry.key}]{when}")
        if not result.results:
            click.echo("  (nothing found)")


@kb.command("gaps")
@click.option(
    "--since",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="The first day (YYYY-MM-DD) to include.",
)
@click.option("--out", type=click.Path(path_type=Path), help="A CSV file (default: the screen).")
@pass_app
def gaps_command(app: AppContext, since, out: Path | None) -> None:
    """Questions the bot could not answer well, grouped, for the editors (no user ids)."""
    found = gaps.groups(app.database, since.date())
    if out is None:
        n = gaps.write_csv(found, sys.stdout)
    else:
        with out.open("w", encoding="utf-8-sig", newline="") as f:
            n = gaps.write_csv(found, f)
    asked = sum(len(g.questions) for g in found)
    click.echo(f"{n} groups of {asked} questions since {since.date().isoformat()}", err=True)
