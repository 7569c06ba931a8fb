"""A lighter check on every import for PySide6's opt-in features (``from __feature__ import ...``).

Once imported, PySide6 asks of each module imported after it whether its source mentions "PySide6",
through ``inspect.getsource``, which keeps every file's lines in ``linecache``. TensorFlow imports
~1,700 modules after the window is up: that cost ~0.5 s more CPU on the Keras loader's thread and
kept ~30 MB of source text (~70 MB of memory) for the life of the app. The same question is
answered here by reading the file's bytes once; modules without a readable ``.py`` file get
PySide's own answer. Where PySide6 has no such check (another version), nothing changes."""

from __future__ import annotations

import sys

import PySide6  # noqa: F401 - sets up the check replaced here


def lighten_import_check() -> None:
    """Replace PySide6's per-import source check with one that reads the file (once per process)."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_bytes", False):
        return

    def mod_uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    mod_uses_pyside.reads_bytes = True
    feature._mod_uses_pyside = mod_uses_pyside
