"""The one Sudachi dictionary of a process, and a tokenizer per thread (search and safety share
them: the dictionary is loaded once, and a tokenizer must not be shared between threads).

A thread's tokenizer remembers its last few results: handling one message, the danger check
(``bot.safety``) and the search (``bot.knowledge``) each tokenize the same text in split mode C,
one after the other (a quarter of a millisecond each; docs/benchmarks.md).

The dictionary is a read-only mapping of its file. The pages a process has read stay counted in
its resident memory: building the search index reads words from all over it (113 MB of 190 in
a web worker), answering questions then touches about 37 MB. ``let_go_of_pages`` hands them back
to the page cache after such a build (docs/benchmarks.md, memory).
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from collections import OrderedDict
from functools import cache

from sudachipy import Dictionary, SplitMode

log = logging.getLogger(__name__)

_local = threading.local()
_MADV_DONTNEED = 4  # Linux
_DICTIONARY_FILE = "system.dic"


@cache
def dictionary() -> Dictionary:
    # Loaded on first use: loading the dictionary takes a noticeable moment.
    return Dictionary(dict="core")


class RememberingTokenizer:
    """Sudachi's tokenizer, answering a text it has just tokenized (in the same split mode)
    from memory. The results are read, never changed, by everyone who asks."""

    KEEP = 8  # texts: a message, its pieces, a few lexicon entries

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer
        self._last: OrderedDict[tuple[str, str], object] = OrderedDict()

    def tokenize(self, text: str, mode: SplitMode | None = None):
        key = (text, str(mode))  # a SplitMode is not hashable
        found = self._last.get(key)
        if found is not None:
            self._last.move_to_end(key)
            return found
        found = (
            self._tokenizer.tokenize(text) if mode is None else self._tokenizer.tokenize(text, mode)
        )
        self._last[key] = found
        if len(self._last) > self.KEEP:
            self._last.popitem(last=False)
        return found


def tokenizer() -> RememberingTokenizer:
    """This thread's tokenizer (mode C by default; callers may ask for A per call)."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        tok = _local.tokenizer = RememberingTokenizer(dictionary().tokenizer(mode=SplitMode.C))
    return tok


def _mappings() -> list[tuple[int, int, str]]:
    """The dictionary file's mappings in this process: start, end, permissions."""
    out = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.split()
                if len(fields) >= 6 and fields[-1].endswith(_DICTIONARY_FILE):
                    start, end = (int(x, 16) for x in fields[0].split("-"))
                    out.append((start, end, fields[1]))
    except OSError:  # not Linux
        return []
    return out


def let_go_of_pages() -> int:
    """Drop this process's hold on the dictionary pages it has read; return the bytes mapped.

    Only a mapping that can never be written ("r--s" or "r--p") is let go: its pages are the
    file's own, kept in the page cache, and a later read maps them again (a minor fault), with
    the same contents. Pages read after this count again, as they are read.
    """
    if not sys.platform.startswith("linux"):
        return 0
    released = 0
    for start, end, perms in _mappings():
        if "w" not in perms and _dont_need(start, end - start):
            released += end - start
    return released


def _dont_need(start: int, length: int) -> bool:
    madvise = ctypes.CDLL(None, use_errno=True).madvise
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    if madvise(start, length, _MADV_DONTNEED) == 0:
        return True
    log.debug("madvise on the dictionary failed: errno %d", ctypes.get_errno())
    return False


def resident_bytes() -> int:
    """How much of the dictionary file is resident in this process (its Rss in smaps)."""
    total, inside = 0, False
    try:
        with open("/proc/self/smaps") as smaps:
            for line in smaps:
                fields = line.split()
                if fields and "-" in fields[0] and not fields[0].endswith(":"):
                    inside = len(fields) >= 6 and fields[-1].endswith(_DICTIONARY_FILE)
                elif inside and fields[0] == "Rss:":
                    total += int(fields[1]) * 1024
    except OSError:
        return 0
    return total
