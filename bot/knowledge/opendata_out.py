"""``kb export --format yaml|hsds|csv [--out PATH]``: where each format is written, and what is
said about it. YAML and HSDS go to a file or stdout; the two CSVs need a folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from bot.city import City
from bot.knowledge.export import export_yaml
from bot.knowledge.hsds import export_hsds
from bot.knowledge.opendata_export import export_opendata
from bot.knowledge.store import load_all
from bot.storage.db import Database


def write_export(
    db: Database, city: City, fmt: str, out: Path | None, today: date
) -> Iterator[str]:
    """Write the export; yields what to print (the text itself when there is no --out)."""
    if fmt == "yaml":
        text = export_yaml(db)
    elif fmt == "hsds":
        document = export_hsds(*load_all(db), city, today=today)
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        if out is None:
            raise ValueError("--format csv writes two files: name a folder with --out")
        data = export_opendata(load_all(db)[2], city, today)
        out.mkdir(parents=True, exist_ok=True)
        for name, body in data.files.items():
            # UTF-8 with a BOM: Excel opens it as UTF-8; the importer reads either.
            (out / name).write_text(body, encoding="utf-8-sig", newline="")
            yield f"{out / name}\n"
        yield (
            f"{data.facilities} facilities, {data.events} event dates; "
            f"{len(data.skipped)} entries without an address left out\n"
        )
        return
    else:
        raise ValueError(f"unknown format {fmt!r}")
    if out is None:
        yield text
        return
    out.write_text(text, encoding="utf-8")
    yield f"{out}\n"
