"""The one Sudachi dictionary of a process, and a tokenizer per thread (search and safety share
them: the dictionary is loaded once, and a tokenizer must not be shared between threads)."""

from __future__ import annotations

import threading
from functools import cache

from sudachipy import Dictionary, SplitMode

_local = threading.local()


@cache
def dictionary() -> Dictionary:
    # Loaded on first use: loading the dictionary takes a noticeable moment.
    return Dictionary(dict="core")


def tokenizer():
    """This thread's tokenizer (mode C by default; callers may ask for A per call)."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        tok = _local.tokenizer = dictionary().tokenizer(mode=SplitMode.C)
    return tok
