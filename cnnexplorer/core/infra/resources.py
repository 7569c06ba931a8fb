"""Where cnnexplorer finds its shipped resources (images, models, fonts, translations)."""

from __future__ import annotations

from pathlib import Path


def resources_dir() -> Path:
    """The ``resources`` folder: inside the package in a wheel, beside it in a checkout."""
    package = Path(__file__).resolve().parents[2]  # cnnexplorer/
    for candidate in (package / "resources", package.parent / "resources"):
        if (candidate / "images").is_dir():
            return candidate
    # Not translated: the translations live in the folder that is missing.
    raise FileNotFoundError(f"cnnexplorer's resources folder is missing (looked beside {package})")  # i18n: keep


def resource(*parts: str) -> Path:
    """Path of one shipped resource, e.g. ``resource("images", "chelsea.png")``."""
    return resources_dir().joinpath(*parts)
