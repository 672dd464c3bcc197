"""Importing knowledge files, all or nothing: one bad row anywhere and nothing changes.

`import_paths(db, paths)` reads every file first, collects every problem (file, line, column,
what was expected), checks keys and references, and only then writes, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.city import City
from bot.knowledge.importers.common import display_name
from bot.knowledge.importers.opendata_csv import read_csv
from bot.knowledge.importers.problems import Problem
from bot.knowledge.importers.yaml_format import Parsed, read_yaml
from bot.knowledge.models import KbOrganization, KbPlace
from bot.knowledge.store import Counts, save
from bot.storage.db import Database


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            lines = [f"Nothing was imported: {len(self.problems)} problem(s)."]
            return "\n".join([*lines, *(f"  {p}" for p in self.problems)])
        c = self.counts
        return (
            f"Imported {len(self.files)} file(s), {self.entries} entries; records "
            f"(organizations, places, entries): {c.created} created, {c.updated} updated, "
            f"{c.unchanged} unchanged."
        )


def read_file(path: Path, city: City | None) -> Parsed:
    name = display_name(path)
    if not path.is_file():
        return Parsed(problems=[Problem(name, 0, None, "", "an existing file")])
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path, name, city)
    if suffix in (".csv", ".txt"):
        return read_csv(path, name, city)
    return Parsed(problems=[Problem(name, 0, None, "", "a .yaml or .csv file", suffix)])


def import_paths(db: Database, paths: list[Path | str], city: City) -> ImportReport:
    """Import every file or none of them; the report lists all problems found."""
    report = ImportReport(files=[display_name(Path(p)) for p in paths])
    merged = Parsed()
    for path in paths:
        parsed = read_file(Path(path), city)
        merged.problems += parsed.problems
        merged.organizations += parsed.organizations
        merged.places += parsed.places
        merged.entries += parsed.entries
    report.problems += merged.problems
    merged.places = _dedupe_shared_places(merged.places)
    for records in (merged.organizations, merged.places, merged.entries):
        report.problems += _duplicates(records)
    if not report.ok:
        return report
    with db.transaction() as session:
        orgs = set(session.scalars(select(KbOrganization.key))) | {
            o.key for o in merged.organizations
        }
        places = set(session.scalars(select(KbPlace.key))) | {p.key for p in merged.places}
        for e in merged.entries:
            for ref, known, what in (
                (e.organization_key, orgs, "organization"),
                (e.place_key, places, "place"),
            ):
                if ref and ref not in known:
                    report.problems.append(
                        Problem(
                            e.source.file,
                            e.source.line,
                            None,
                            f"{e.key}.{what}",
                            f"the key of an {what} in this import or already imported",
                            ref,
                        )
                    )
        if not report.ok:
            return report
        report.counts = save(session, merged.organizations, merged.places, merged.entries)
    report.entries = len(merged.entries)
    return report


def _dedupe_shared_places(places: list) -> list:
    """Events at one hall make the same place again and again: keep it once."""
    seen: dict[str, object] = {}
    kept = []
    for p in places:
        if p.key.startswith("place-") and p.key in seen and seen[p.key] == p.address:
            continue
        seen[p.key] = p.address
        kept.append(p)
    return kept


def _duplicates(records: list) -> list[Problem]:
    first: dict[str, object] = {}
    problems = []
    for r in records:
        if r.key in first:
            f = first[r.key]
            problems.append(
                Problem(
                    r.source.file,
                    r.source.line,
                    None,
                    "key",
                    f"a key used once (also at {f.source.file} line {f.source.line})",
                    r.key,
                )
            )
        else:
            first[r.key] = r
    return problems
