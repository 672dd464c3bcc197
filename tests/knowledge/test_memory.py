"""A process's memory: the dictionary pages read while the search index is built are let go
(issue 12: each process's peak RSS under 300 MB; docs/benchmarks.md)."""

from __future__ import annotations

import sys

import pytest

from bot import sudachi
from bot.knowledge import text

MB = 1024 * 1024

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/smaps"
)


def test_building_the_index_lets_go_of_the_dictionary_pages_it_read(db, city, monkeypatch):
    from bot.knowledge.importers import import_paths
    from bot.knowledge.service import KnowledgeBase

    assert import_paths(db, [city.path, *city.knowledge_files], city=city).ok
    monkeypatch.setattr(text, "_analyzer", None)  # nothing analysed yet, as in a new worker
    sudachi.let_go_of_pages()
    before = [m.surface() for m in sudachi.tokenizer().tokenize("子育て支援センターの予約")]

    kb = KnowledgeBase(db, city)
    assert kb.of_kind("salon")  # built: every entry's words were read (about 100 MB of pages)

    assert sudachi.resident_bytes() < 16 * MB
    # The pages come back as they are read, the same words as before.
    after = [m.surface() for m in sudachi.tokenizer().tokenize("子育て支援センターの予約")]
    assert after == before
    assert sudachi.resident_bytes() > 0


def test_only_a_mapping_that_cannot_be_written_is_let_go(monkeypatch):
    calls = []
    monkeypatch.setattr(
        sudachi, "_mappings", lambda: [(0x1000, 0x3000, "rw-p"), (0x5000, 0x9000, "r--s")]
    )
    monkeypatch.setattr(sudachi, "_dont_need", lambda *args: calls.append(args) or True)
    assert sudachi.let_go_of_pages() == 0x4000
    assert calls == [(0x5000, 0x4000)]
