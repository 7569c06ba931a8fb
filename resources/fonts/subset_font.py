"""Rebuild the bundled Korean fallback font, a subset of Noto Sans CJK KR (development only).

Run again whenever a shipped text (a lecture, a translation) gains a Hangul syllable outside KS X 1001;
tests/gui/common/test_hangul_font.py says so when one is missing. With fontTools
(pip install fonttools==4.69.1: a tool for making the file, not a dependency of cnnexplorer):
    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    python resources/fonts/subset_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-{Regular,Bold}.ttc

The source is Debian's fonts-noto-cjk 1:20220127+repack1-1 (Noto Sans CJK 2.004, SIL OFL 1.1), sha256
NotoSansCJK-Regular.ttc b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a,
NotoSansCJK-Bold.ttc    faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb;
of each collection the Korean face (Noto Sans CJK KR) is kept; Bold too, so bold labels need no synthetic bold.
The output is renamed "Noto Sans CJK KR Subset" so that it is never mistaken for the full font (see LICENSES.md).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESOURCES = HERE.parent
PACKAGE = RESOURCES.parent / "cnnexplorer"
SOURCE_FACE = "Noto Sans CJK KR"
FAMILY = "Noto Sans CJK KR Subset"
POSTSCRIPT = "NotoSansCJKkrSubset"
TEXT_SUFFIXES = (".txt", ".tsv", ".po", ".json")  # the shipped texts; the test scans the same

# Latin, Greek, punctuation and the symbols the UI writes (· … × → − ± ° ≥ ⌊⌋ ▸ …), and CJK punctuation.
SYMBOL_RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x0391, 0x03C9), (0x2010, 0x205E), (0x2070, 0x209F),
    (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x230B), (0x25A0, 0x25FF), (0x3000, 0x303F),
    (0xFF01, 0xFF64),
]
COMPAT_JAMO = range(0x3131, 0x318F)  # ㄱ … ㆎ


def is_hangul(char: str) -> bool:
    code = ord(char)
    return (0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F
            or 0xA960 <= code <= 0xA97F or 0xD7B0 <= code <= 0xD7FF)


def ks_x_1001_syllables() -> set[str]:
    """The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0–0xC8, columns 0xA1–0xFE)."""
    return {bytes([row, col]).decode("euc-kr") for row in range(0xB0, 0xC9) for col in range(0xA1, 0xFF)}


def shipped_texts() -> list[Path]:
    texts = [p for p in sorted(RESOURCES.rglob("*")) if p.suffix in TEXT_SUFFIXES and p.is_file()]
    return texts + sorted(PACKAGE.rglob("*.py"))  # menu names such as "한국어" live in the code


def shipped_characters() -> set[str]:
    chars: set[str] = set()
    for path in shipped_texts():
        chars.update(c for c in path.read_text(encoding="utf-8", errors="replace") if ord(c) > 0x7E)
    return chars


def wanted_codepoints() -> set[int]:
    wanted = {code for low, high in SYMBOL_RANGES for code in range(low, high + 1)}
    wanted |= set(COMPAT_JAMO) | {ord(c) for c in ks_x_1001_syllables()}
    return wanted | {ord(c) for c in shipped_characters()}  # symbols the font lacks are dropped later


def rename(font) -> None:
    """A Modified Version gets its own name (OFL §3 is about Reserved Font Names; this one has none,
    but a distinct name keeps the subset from standing in for an installed full Noto Sans CJK KR)."""
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    version = names.getDebugName(5).split(";")[0].removeprefix("Version ").strip()
    style = names.getDebugName(2)  # "Regular" or "Bold": a family's styles stay one family
    postscript = f"{POSTSCRIPT}-{style}"
    for name_id, text in {1: FAMILY, 2: style, 3: f"{version};cnnexplorer;{postscript}",
                          4: f"{FAMILY} {style}".removesuffix(" Regular"), 6: postscript}.items():
        names.setName(text, name_id, 3, 1, 0x409)
        names.setName(text, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
        top = cff.topDictIndex[0]
        for key in ("FullName", "FamilyName"):
            if hasattr(top, key):
                setattr(top, key, names.getDebugName(4 if key == "FullName" else 1))


# The line a Latin UI font (DejaVu Sans, Segoe UI) gives, in em: Noto CJK's own 1.16 + 0.29 em would make
# every line holding Hangul a third taller than its English twin and push the lessons' pictures aside.
# Its Hangul glyphs span -0.087 … 0.842 em, inside this line.
UI_ASCENT, UI_DESCENT = 0.928, 0.236


def ui_line_metrics(font) -> None:
    upm = font["head"].unitsPerEm
    ascent, descent = round(UI_ASCENT * upm), round(UI_DESCENT * upm)
    hhea, os2 = font["hhea"], font["OS/2"]
    hhea.ascent, hhea.descent, hhea.lineGap = ascent, -descent, 0
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = ascent, -descent, 0
    os2.usWinAscent, os2.usWinDescent = ascent, descent


def subset_one(source: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    if source.lower().endswith((".ttc", ".otc")):
        faces = TTCollection(source).fonts
        font = next(f for f in faces if f["name"].getDebugName(1) == SOURCE_FACE)
    else:
        font = TTFont(source)
    cmap = font.getBestCmap()
    wanted = wanted_codepoints()
    missing_hangul = sorted(chr(c) for c in wanted if is_hangul(chr(c)) and c not in cmap)
    if missing_hangul:
        raise SystemExit(f"the source font lacks Hangul the texts use: {''.join(missing_hangul)}")

    options = subset.Options()
    options.name_IDs = ["*"]  # keep copyright, trademark, designer and licence records
    options.name_languages = ["*"]
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx"]  # vertical writing: Qt does not use it
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(c for c in wanted if c in cmap))
    subsetter.subset(font)
    rename(font)
    ui_line_metrics(font)
    output = HERE / f"{POSTSCRIPT.replace('Subset', '-Subset')}-{font['name'].getDebugName(2)}.otf"
    font.recalcTimestamp = False  # the source's date: the same inputs give the same bytes
    font.save(output)
    kept = font.getBestCmap()
    hangul = sum(1 for c in kept if 0xAC00 <= c <= 0xD7A3)
    print(f"{len(font.getGlyphOrder())} glyphs, {len(kept)} characters ({hangul} syllables), "
          f"{Path(output).stat().st_size / 1e6:.2f} MB → {output}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for source in sys.argv[1:]:
        subset_one(source)
