"""Keep the shipped catalogues in step with the sources (a translator's tool; needs Babel).

``python -m cnnexplorer.core.i18n.catalogues`` extracts every ``tr``/``N_`` message from the
package, merges it into ``resources/i18n/<lang>/LC_MESSAGES/cnnexplorer.po`` (translations kept,
new messages empty, gone ones dropped) and compiles the ``.mo`` the app reads.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from cnnexplorer.core.i18n import DOMAIN, LANGUAGES, SOURCE_LANGUAGE
from cnnexplorer.core.infra.resources import resource

KEYWORDS = {"tr": None, "N_": None}
PACKAGE = Path(__file__).resolve().parents[2]


def po_path(code: str) -> Path:
    return resource("i18n", code, "LC_MESSAGES", f"{DOMAIN}.po")


def extract():
    """Every marked message in the package, as a Babel catalogue (locations relative to it)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    messages = Catalog(domain=DOMAIN, project="cnnexplorer", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        messages.add(message, locations=[(f"cnnexplorer/{filename}", lineno)], auto_comments=comments, context=context)
    for title, place in course_titles():
        messages.add(title, locations=[(place, 0)])
    return messages


def course_titles() -> list[tuple[str, str]]:
    """The shipped course script's titles: the scene list shows them in the user's language."""
    path = resource("lectures", "course.json")
    script = json.loads(path.read_text(encoding="utf-8"))
    place = "resources/lectures/course.json"
    return [(script["title"], place)] + [(scene["title"], place) for scene in script["scenes"]]


def read(code: str):
    from babel.messages.pofile import read_po

    with po_path(code).open("rb") as f:
        return read_po(f, locale=code, domain=DOMAIN)


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update(code: str) -> list[str]:
    """Merge the sources into ``code``'s catalogue and compile it; returns the untranslated keys."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    template = extract()
    path = po_path(code)
    catalog = read(code) if path.exists() else Catalog(locale=code, domain=DOMAIN, project="cnnexplorer")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, sort_output=False, omit_header=False)
    path.with_suffix(".mo").write_bytes(compiled(catalog))
    return [m.id for m in catalog if m.id and not m.string]


def main() -> int:
    for code in LANGUAGES:
        if code != SOURCE_LANGUAGE:
            missing = update(code)
            print(f"{po_path(code)}: {len(missing)} messages still untranslated")  # i18n: keep
    return 0


if __name__ == "__main__":
    sys.exit(main())
