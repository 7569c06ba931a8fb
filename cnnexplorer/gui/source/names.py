"""The built-in sources as the user reads them: a spec ("sample:chelsea", "pattern:stripes-45",
"camera:0@640x480") stays the key; menus, the source list and status lines show its name in the
current language ("Sample: chelsea" / "샘플: 첼시")."""

from __future__ import annotations

import re
from pathlib import Path

from cnnexplorer.core.i18n import N_, tr

# The shipped photographs (resources/images) and patterns (core.frames.patterns), by key.
SAMPLE_NAMES = {
    "astronaut": N_("astronaut"),
    "camera": N_("camera"),  # the cameraman photograph
    "chelsea": N_("chelsea"),  # a cat
    "coffee": N_("coffee"),
    "coins": N_("coins"),
    "horse": N_("horse"),
    "rocket": N_("rocket"),
}
PATTERN_NAMES = {
    "checkerboard": N_("checkerboard"),
    "gradient": N_("gradient"),  # of colours
    "circles": N_("circles"),
    "text": N_("text"),
}
_STRIPES = re.compile(r"stripes-(\d+)")
_CAMERA = re.compile(r"^camera(?::(\d+))?(?:@(\d+)x(\d+))?$")


def sample_name(name: str) -> str:
    """A sample photograph's name as shown (its file stem when it is not one of ours)."""
    return tr(SAMPLE_NAMES[name]) if name in SAMPLE_NAMES else name


def pattern_name(name: str) -> str:
    """A pattern's name as shown (the stripes' angle in degrees kept)."""
    if match := _STRIPES.fullmatch(name):
        return tr("stripes-{angle}", angle=match.group(1))
    return tr(PATTERN_NAMES[name]) if name in PATTERN_NAMES else name


def camera_label(index: int | str, size: tuple[int, int] | None = None) -> str:
    if size:
        return tr("Camera {index} ({width}×{height})", index=index, width=size[0], height=size[1])
    return tr("Camera {index}", index=index)


def shown_label(spec: str, label: str = "") -> str:
    """What a source is called on screen; ``label`` (the source's own) for a file or anything else."""
    kind, _, name = spec.partition(":")
    if kind == "sample" and name:
        return tr("Sample: {name}", name=sample_name(name))
    if kind == "pattern" and name:
        return tr("Pattern: {name}", name=pattern_name(name))
    if match := _CAMERA.match(spec):
        index, width, height = match.groups()
        return camera_label(index or 0, (int(width), int(height)) if width else None)
    return label or Path(spec).name
