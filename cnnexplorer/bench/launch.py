"""What the launch benchmarks share: the environment of a launch as a user sees it from the second
one on, when Python has cached the package's bytecode (``pip install`` compiles it; an editable
checkout caches it on the first run). A shell that sets ``PYTHONDONTWRITEBYTECODE`` would otherwise
time the compiler on every changed file."""

from __future__ import annotations

import compileall
import os
from pathlib import Path

import cnnexplorer


def launch_env() -> dict:
    """The environment for a timed launch subprocess; the package's bytecode is cached first."""
    compileall.compile_dir(Path(cnnexplorer.__file__).parent, quiet=1)  # a read-only install is left as it is
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env
