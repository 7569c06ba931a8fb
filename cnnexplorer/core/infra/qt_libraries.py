"""Before Qt starts on Linux: are the system libraries its xcb plugin needs installed?

Without ``libxcb-cursor0`` (often missing on a fresh Debian/Ubuntu) Qt ≥ 6.5 aborts with "Could not
load the Qt platform plugin xcb", which does not say what to install. We say it first.
"""

from __future__ import annotations

import ctypes.util

from cnnexplorer.core.i18n import tr

# ctypes name → Debian/Ubuntu package that ships it
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
}


def missing_libraries(required: dict[str, str] = XCB_LIBRARIES) -> list[str]:
    """The packages of the ``required`` libraries the dynamic loader cannot find."""
    return [package for name, package in required.items() if ctypes.util.find_library(name) is None]


def install_hint(packages: list[str]) -> str:
    """What to tell the user, or "" when nothing is missing."""
    if not packages:
        return ""
    names = " ".join(packages)
    return tr("cnnexplorer: Qt's window system plugin (xcb) needs system libraries that are missing: {names}\n"
              "  Debian/Ubuntu: sudo apt install {names}\n"
              "  (Fedora: sudo dnf install xcb-util-cursor libxkbcommon-x11)", names=names)
