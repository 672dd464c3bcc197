"""Knowledge-base files uploaded on the page: kept for the admin who sent them until applied,
checked exactly as ``kb import`` checks them, and compared with what the database holds.

The check runs the real import inside a transaction that is rolled back, so the page reports
the same problems the command line would, and *apply* is the same all-or-nothing import.
"""

from __future__ import annotations

import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.city import City
from bot.knowledge.importers import ImportReport, import_paths, read_file
from bot.knowledge.importers.problems import Problem
from bot.knowledge.models import KbEntry
from bot.knowledge.store import content_hash
from bot.storage.db import Database

SUFFIXES = (".yaml", ".yml", ".csv")
KEEP_SECONDS = 3600  # an upload not applied within an hour is deleted


class BadUpload(ValueError):
    """The file cannot be taken at all (no name, a wrong kind of file)."""


@dataclass
class Change:
    key: str
    name: str
    kind: str


@dataclass
class Preview:
    problems: list[Problem] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)  # in the DB from this file, not in it
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def safe_name(name: str) -> str:
    """The file's own name (Japanese kept), without folders or control characters."""
    base = Path(name.replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable() and c not in '/:*?"<>|').strip(" .")
    if not base or Path(base).suffix.lower() not in SUFFIXES:
        raise BadUpload(name)
    return base[:120]


def store_upload(root: Path, admin_id: int, name: str, data: bytes) -> str:
    """Keep an upload under root; returns its id (tied to the admin who sent it)."""
    _clean_old(root)
    upload_id = f"{admin_id}-{secrets.token_hex(12)}"
    folder = root / upload_id
    folder.mkdir(parents=True)
    (folder / safe_name(name)).write_bytes(data)
    return upload_id


def upload_path(root: Path, admin_id: int, upload_id: str) -> Path | None:
    """The stored file of an upload, if it is this admin's and still there."""
    owner, _, rest = upload_id.partition("-")
    if owner != str(admin_id) or not rest.isalnum():
        return None
    folder = root / upload_id
    files = list(folder.iterdir()) if folder.is_dir() else []
    return files[0] if len(files) == 1 else None


def discard(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def _clean_old(root: Path) -> None:
    if not root.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


class _RolledBack:
    """A Database whose transactions are undone: the import's checks run, nothing stays."""

    def __init__(self, db: Database):
        self._db = db

    @contextmanager
    def transaction(self):
        with self._db.transaction() as session:
            yield session
            session.rollback()


def preview(db: Database, path: Path, city: City) -> Preview:
    checked: ImportReport = import_paths(_RolledBack(db), [path], city=city)
    if not checked.ok:
        return Preview(problems=checked.problems)
    parsed = read_file(path, city)
    out = Preview()
    keys = {e.key for e in parsed.entries}
    with db.reading() as session:
        stored = {
            key: (digest, name, kind, source)
            for key, digest, name, kind, source in session.execute(
                select(
                    KbEntry.key,
                    KbEntry.content_hash,
                    KbEntry.name,
                    KbEntry.kind,
                    KbEntry.source_file,
                )
            )
        }
    for entry in parsed.entries:
        change = Change(entry.key, entry.name, entry.kind)
        if entry.key not in stored:
            out.added.append(change)
        elif stored[entry.key][0] != content_hash(entry):
            out.changed.append(change)
        else:
            out.unchanged += 1
    for key, (_digest, name, kind, source) in sorted(stored.items()):
        if key not in keys and Path(source).name == path.name:
            out.removed.append(Change(key, name, kind))
    return out


def apply(db: Database, path: Path, city: City) -> ImportReport:
    """The real import (all or nothing), as ``kb import PATH`` does it."""
    return import_paths(db, [path], city=city)
