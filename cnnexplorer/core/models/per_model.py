"""Objects built once per Keras model and kept while the model lives (the last few of a bounded
kind): compiled gradient functions, tapping models and their traced graphs.

Rebuilding them costs far more than using them (a gradient model ~14× a forward pass, a traced
MobileNetV2 graph seconds on a CPU). The cache is keyed weakly on the Keras model, so letting a
model go frees everything built on it."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable

_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def cached(model, key: tuple, build: Callable[[], object], keep: int | None = None):
    """The object built by ``build()`` for (``model``, ``key``), built on first use only.

    ``keep``: at most this many objects of the same kind (``key[0]``) stay for one model, the least
    recently used going first (a lecturer clicking through every layer must not keep a graph for
    each). A build that raises is not cached: the next call explains the same problem again; nor is
    one that returns ``None`` (return a value to remember a check that passed)."""
    if keep is not None and keep < 1:  # a programming error: developer-facing
        raise ValueError(f"keep must be at least 1, not {keep}")  # i18n: keep
    with _lock:
        found = _cache.setdefault(model, OrderedDict()).get(key)
        if found is not None:
            _cache[model].move_to_end(key)
            return found
    built = build()
    with _lock:
        per_model = _cache[model]
        kept = per_model.setdefault(key, built)
        if keep is not None:
            same_kind = [k for k in per_model if k[0] == key[0]]
            for old in same_kind[:-keep]:
                del per_model[old]
        return kept
