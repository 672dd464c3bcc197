"""The one Sudachi dictionary of a process, and a tokenizer per thread (search and safety share
them: the dictionary is loaded once, and a tokenizer must not be shared between threads).

A thread's tokenizer remembers its last few results: handling one message, the danger check
(``bot.safety``) and the search (``bot.knowledge``) each tokenize the same text in split mode C,
one after the other (a quarter of a millisecond each; docs/benchmarks.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache

from sudachipy import Dictionary, SplitMode

_local = threading.local()


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
