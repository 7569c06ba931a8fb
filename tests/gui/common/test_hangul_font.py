"""Hangul draws as glyphs, not boxes, on a machine with no Korean font (the bundled Noto Sans CJK KR
subset), at every size and weight the panels use; Latin keeps the system font."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics, QGuiApplication, QRawFont, QTextLayout
from PySide6.QtWidgets import QLabel

import cnnexplorer
from cnnexplorer.core.infra.resources import resource, resources_dir
from cnnexplorer.gui.common import hangul_font
from cnnexplorer.gui.common.hangul_font import FONT_FILES, ensure_hangul_font
from cnnexplorer.gui.shell.presenter_look import scaled_font

TEXT = "고양이 합성곱 특성 맵"
TEXT_SUFFIXES = (".txt", ".tsv", ".po", ".json")  # as resources/fonts/subset_font.py reads them
MISSING = ("\U0010fffd", "\U0010fffc")  # characters no font has: drawn as the same empty box


def is_hangul(char: str) -> bool:
    code = ord(char)
    return (0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F
            or 0xA960 <= code <= 0xA97F or 0xD7B0 <= code <= 0xD7FF)


def glyph_runs(text: str, font: QFont) -> list[tuple[str, str, list[int]]]:
    """(family, style, glyph indexes) of each run Qt lays ``text`` out in; glyph 0 is the box."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [(run.rawFont().familyName(), run.rawFont().styleName(), list(run.glyphIndexes()))
            for run in layout.glyphRuns()]


def pictures(qtbot, chars, font: QFont | None = None, sheet: str = "") -> list:
    """Each character drawn alone by a real QLabel, grabbed as an image."""
    images = []
    for char in chars:
        label = QLabel(char)
        qtbot.addWidget(label)
        if font is not None:
            label.setFont(font)
        label.setStyleSheet(sheet)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setFixedSize(80, 80)
        label.show()
        images.append(label.grab().toImage())
    return images


def assert_draws_glyphs(qtbot, font: QFont | None = None, sheet: str = "") -> None:
    syllables = sorted(set(TEXT) - {" "})
    drawn = pictures(qtbot, syllables, font, sheet)
    box, other_box, blank = pictures(qtbot, [*MISSING, " "], font, sheet)
    assert box == other_box  # the reference: missing glyphs all look alike
    for char, image in zip(syllables, drawn):
        assert image != box and image != blank, f"{char!r} is drawn as a box or not at all"
    assert len({image.bits().tobytes() for image in drawn}) == len(syllables), "two syllables look alike"


def test_hangul_in_a_label_is_drawn_as_glyphs(qtbot):
    ensure_hangul_font()
    label = QLabel(TEXT)
    qtbot.addWidget(label)
    label.show()
    metrics = QFontMetrics(label.font())
    assert all(metrics.inFontUcs4(ord(char)) for char in TEXT)
    assert all(0 not in glyphs for _, _, glyphs in glyph_runs(TEXT, label.font()))
    assert label.grab().toImage() != pictures(qtbot, [""])[0]
    assert_draws_glyphs(qtbot)


def test_presenter_sizes_and_bold_labels_still_draw_hangul(qtbot):
    ensure_hangul_font()
    big = scaled_font(QGuiApplication.font(), 2.5)  # as presenter view enlarges a panel's fonts
    assert QFontInfo(big).pixelSize() >= 30
    assert all(QFontMetrics(big).inFontUcs4(ord(char)) for char in TEXT)
    assert_draws_glyphs(qtbot, big)
    bold = QFont(big)
    bold.setBold(True)
    runs = glyph_runs(TEXT, bold)
    assert all(0 not in glyphs for _, _, glyphs in runs)
    family = hangul_font._family
    if family is not None:  # drawn by the bundle: its own Bold, not a smeared Regular
        assert {style for name, style, _ in runs if name == family} == {"Bold"}
    assert_draws_glyphs(qtbot, sheet="QLabel { font-weight: bold; font-size: 30px; }")


def test_latin_keeps_the_system_font(qtbot):
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    system_family, fixed_family = QFontInfo(system).family(), QFontInfo(fixed).family()
    ensure_hangul_font()
    app_font = QGuiApplication.font()
    assert app_font.families()[0] == system.family()
    assert QFontInfo(app_font).family() == system_family
    latin = "Convolution 3×3 → feature map"
    for font in (app_font, scaled_font(app_font, 2.0), QFont(system.family()), QFont(system_family)):
        assert {name for name, _, _ in glyph_runs(latin, font)} == {system_family}
        mixed = {name for name, _, _ in glyph_runs("Conv 합성곱", font)}
        assert system_family in mixed and (hangul_font._family is None or hangul_font._family in mixed)
    assert {name for name, _, _ in glyph_runs(latin, fixed)} == {fixed_family}  # no alias hands Latin over
    width = QFontMetrics(app_font).horizontalAdvance(latin)
    assert width == QFontMetrics(system).horizontalAdvance(latin)


def test_ensure_is_idempotent(qtbot):
    first = ensure_hangul_font()
    families = QGuiApplication.font().families()
    assert ensure_hangul_font() == first
    assert QGuiApplication.font().families() == families
    assert len(set(families)) == len(families)


def test_a_system_font_with_hangul_is_kept(qtbot, monkeypatch):
    """A Korean Windows or macOS draws Hangul already: nothing is registered or changed."""
    monkeypatch.setattr(hangul_font, "_checked", False)
    monkeypatch.setattr(hangul_font, "_family", None)
    monkeypatch.setattr(hangul_font, "draws_hangul", lambda font: True)
    before = QFont(QGuiApplication.font())
    assert ensure_hangul_font() is None
    assert QGuiApplication.font() == before


def shipped_texts() -> list[Path]:
    resources = resources_dir()
    texts = [p for p in sorted(resources.rglob("*")) if p.suffix in TEXT_SUFFIXES and p.is_file()]
    return texts + sorted(Path(cnnexplorer.__file__).parent.rglob("*.py"))


def test_the_bundled_font_has_every_hangul_the_shipped_texts_use(qtbot):
    used: dict[str, str] = {}  # character → a file that uses it
    for path in shipped_texts():
        for char in path.read_text(encoding="utf-8", errors="replace"):
            if is_hangul(char):
                used.setdefault(char, path.name)
    ks_x_1001 = {bytes([row, col]).decode("euc-kr") for row in range(0xB0, 0xC9) for col in range(0xA1, 0xFF)}
    compat_jamo = {chr(code) for code in range(0x3131, 0x318F)}
    assert len(ks_x_1001) == 2350
    for name in FONT_FILES:
        font = QRawFont(str(resource("fonts", name)), 16)
        assert font.isValid(), name
        missing = sorted(char for char in used if not font.supportsCharacter(ord(char)))
        assert not missing, (f"{name} lacks {''.join(missing)} (used in "
                             f"{sorted({used[c] for c in missing})}): re-run resources/fonts/subset_font.py")
        wanted = ks_x_1001 | compat_jamo | set("·…×→←°±−–")
        absent = sorted(char for char in wanted if not font.supportsCharacter(ord(char)))
        assert not absent, f"{name} lacks {''.join(absent[:40])}: re-run resources/fonts/subset_font.py"
    assert sum(resource("fonts", name).stat().st_size for name in FONT_FILES) < 2_000_000
    assert resource("fonts", "OFL.txt").is_file()
