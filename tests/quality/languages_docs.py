"""docs/quality.md's section on questions in the other languages, between its markers, which
the other sections' writers keep (``kept``). The section is written by hand from the figures
that ``python -m tests.quality.score_search FILE [--aggregate]`` prints."""

from __future__ import annotations

BEGIN, END = "<!-- languages:begin -->", "<!-- languages:end -->"


def kept(text: str) -> str:
    """The languages section of a docs/quality.md text, or ""."""
    if BEGIN in text and END in text:
        return text[text.index(BEGIN) : text.index(END) + len(END)] + "\n"
    return ""
