"""Helpers the importers share: reading bytes in the city's encodings, keys, display paths."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.knowledge.importers.problems import FileProblems, Problem

# cp932 decodes a few bytes no real text uses (0x80, 0xA0, 0xFD-0xFF) into private-use
# characters; finding one means the file was neither UTF-8 nor Shift_JIS.
_NOT_TEXT = re.compile("[\x80-\x9f\ue000-\uf8ff\ufffd]")


def display_name(path: Path) -> str:
    """The path as people will recognise it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def read_text(path: Path, name: str) -> tuple[str, str]:
    """The file's text and encoding: UTF-8 (BOM or not) strictly first, then CP932."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        text = None
    bad = _NOT_TEXT.search(text) if text is not None else None
    if text is not None and bad is None:
        return text, "cp932"
    pos = utf8_error.start
    line = data.count(b"\n", 0, pos) + 1
    column = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    raise FileProblems(
        Problem(
            name,
            line,
            column,
            "",
            "text in UTF-8 or Shift_JIS (CP932); save the file again as CSV UTF-8",
            f"byte 0x{data[pos]:02X}",
        )
    )


def stable_key(prefix: str, *parts: str) -> str:
    """A key that stays the same across re-imports of the same name and address."""
    digest = hashlib.sha1("\x1f".join(p.strip() for p in parts).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"
