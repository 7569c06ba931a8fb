"""Korean text on a machine with no Korean font: the bundled Noto Sans CJK KR subset draws Hangul.

A Korean Windows or macOS (or a Linux with any Korean font) already draws Hangul and keeps its own
font. Elsewhere the bundle is registered and placed last in the application font's families, so
Latin keeps the system font and only what it lacks falls through to the bundle; fonts derived from
the application font (presenter sizes, bold labels) keep both families.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication

from cnnexplorer.core.infra.resources import resource

FONT_FILES = ("NotoSansCJKkr-Subset-Regular.otf", "NotoSansCJKkr-Subset-Bold.otf")
SAMPLE = "한글가힣"  # the first and last syllables too: a system font with only a few is not enough
THEMED_CLASSES = ("QMenu", "QMenuBar", "QMenuItem", "QMessageBox", "QLabel", "QTipLabel", "QStatusBar",
                  "QMdiSubWindowTitleBar", "QDockWidgetTitle", "QPushButton", "QCheckBox", "QRadioButton",
                  "QToolButton", "QAbstractItemView", "QListView", "QHeaderView", "QListBox", "QComboMenuItem",
                  "QComboLineEdit", "QSmallFont", "QMiniFont")  # the per-class fonts a desktop theme may set

_family: str | None = None
_checked = False


def draws_hangul(font: QFont) -> bool:
    """Whether ``font`` (with the fallbacks Qt would use) has real glyphs for Hangul, not boxes."""
    metrics = QFontMetrics(font)
    return all(metrics.inFontUcs4(ord(char)) for char in SAMPLE)


def ensure_hangul_font() -> str | None:
    """Make Hangul drawable once a QApplication exists; idempotent.

    Returns the bundled family when it is in use, ``None`` when the system font already draws Hangul
    (or the bundle cannot be loaded)."""
    global _family, _checked
    if _checked:
        return _family
    if QGuiApplication.instance() is None:
        raise RuntimeError("ensure_hangul_font() needs a QApplication")  # i18n: keep
    _checked = True
    app_font = QGuiApplication.font()
    if draws_hangul(app_font):
        return None
    # Resolve names before the bundle exists: an alias ("Sans Serif", "monospace") that is no family of
    # Qt's own would let a later family in the list, the bundle, draw Latin too.
    themed: dict[str, QFont] = {}
    if isinstance(QGuiApplication.instance(), QApplication):
        themed = {name: font for name in THEMED_CLASSES if (font := QApplication.font(name)) != app_font}
    resolved = {name: QFontInfo(font).family() for name, font in {"": app_font, **themed}.items()}
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    drawn_by = {QFontInfo(QFont(name)).family() for name in (*app_font.families(), fixed.family())}
    real = [name for name in drawn_by if QFontDatabase.hasFamily(name)]  # never an alias

    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    _family = families[0]
    QGuiApplication.setFont(with_fallback(app_font, resolved[""], _family))  # keeps the per-class fonts
    for name, font in themed.items():
        QApplication.setFont(with_fallback(font, resolved[name], _family), name)
    # A font built from a family name alone (the HUD's fixed-pitch one) falls back through substitutes.
    for name in real:
        if _family not in QFont.substitutes(name):
            QFont.insertSubstitution(name, _family)
    return _family


def with_fallback(font: QFont, resolved: str, family: str) -> QFont:
    """``font`` with ``family`` last among its families: Latin drawn as before, the rest by ``family``.
    ``resolved`` is the family ``font`` was drawn with, kept ahead of the bundle for alias names."""
    own = font.families() or [font.family()]
    fallback = QFont(font)
    fallback.setFamilies([*own, *([resolved] if resolved not in own else []), family])
    return fallback
