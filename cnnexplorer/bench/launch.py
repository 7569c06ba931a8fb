"""What the timing benchmarks share: the app as a user runs it from the second launch on, when Python
has cached the package's bytecode (``pip install`` compiles it; an editable checkout caches it on the
first run). A shell that sets ``PYTHONDONTWRITEBYTECODE`` would otherwise time the compiler on every
changed file, at launch and wherever a module is imported on first use (a scene's panel)."""

from __future__ import annotations

import compileall
import os
from pathlib import Path

import cnnexplorer


def cache_bytecode() -> None:
    """Compile the package's modules into their caches (a read-only install is left as it is)."""
    compileall.compile_dir(Path(cnnexplorer.__file__).parent, quiet=1)


def launch_env() -> dict:
    """The environment for a timed launch subprocess; the package's bytecode is cached first."""
    cache_bytecode()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env
