"""Find user-visible string literals that are not marked for translation.

A literal counts as user-visible when it is given to a Qt text setter or widget constructor,
an argparse help, a ``print`` of the command-line tools, or an exception's message. It counts as
words when, its ``{fields}`` taken out, a word of two letters or more is left that is not one of
the names every language keeps (:mod:`cnnexplorer.core.i18n.names`). A line ending in ``# i18n: keep`` is developer-facing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cnnexplorer.core.i18n.names import words

PACKAGE = Path(__file__).resolve().parents[2] / "cnnexplorer"
SKIPPED = ("bench/",)  # developer benchmarks speak English

TEXT_CALLS = {
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setWindowTitle", "setPlaceholderText",
    "setTitle", "addTab", "insertTab", "setTabText", "setTabToolTip", "addItem", "insertItem", "addItems",
    "addAction", "addMenu", "addSection", "showMessage", "setLabel", "setSuffix", "setPrefix",
    "setSpecialValueText", "setFormat", "setHeaderLabels", "setHorizontalHeaderLabels",
    "setVerticalHeaderLabels", "setItemText", "setItemToolTip", "setHtml", "setMarkdown", "setPlainText",
    "information", "warning", "critical", "question", "getOpenFileName", "getSaveFileName",
    "getExistingDirectory", "getText", "getItem", "setLabelText", "setCancelButtonText", "setNameFilter",
    "setNameFilters", "setInformativeText", "setDetailedText", "setAccessibleName",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu", "QToolButton",
    "QDockWidget", "QTreeWidgetItem", "QTableWidgetItem", "QStandardItem", "QListWidgetItem", "TextItem",
    "QMessageBox", "QProgressDialog", "LabelItem", "print", "ArgumentParser", "add_argument",
    "add_parser", "add_argument_group",
}
TEXT_KEYWORDS = {"text", "toolTip", "tooltip", "title", "help", "description", "label", "message", "epilog"}
UNMARKED_EXCEPTIONS = {"NotImplementedError", "AssertionError"}

FIELD = re.compile(r"\{[^{}]*\}")


def has_words(text: str) -> bool:
    return bool(words(FIELD.sub(" ", text)))


def literal_text(node: ast.AST) -> str | None:
    """The words of a plain or f-string literal, fields blanked."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else " " for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return " ".join(t for t in (literal_text(node.left), literal_text(node.right)) if t)
    if isinstance(node, ast.IfExp):
        return " ".join(t for t in (literal_text(node.body), literal_text(node.orelse)) if t)
    if isinstance(node, (ast.List, ast.Tuple)):
        return " ".join(t for t in map(literal_text, node.elts) if t)
    return None


def call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def findings(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    relative = path.relative_to(PACKAGE.parent).as_posix()
    found = []

    def report(node: ast.AST, why: str) -> None:
        if not lines[node.lineno - 1].rstrip().endswith("# i18n: keep"):
            found.append(f"{relative}:{node.lineno}: {why}: {ast.get_source_segment(source, node)[:90]}")

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = call_name(node)
            if name in ("tr", "N_"):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.JoinedStr):
                    report(node, "f-string inside tr(): use named fields")
                elif isinstance(first, ast.Constant) and re.search(r"\{\d*(?:[:!][^}]*)?\}", first.value):
                    report(node, "unnamed field in a message: name it")
                continue
            if name in TEXT_CALLS:
                args = list(node.args) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
                if name in ("add_argument", "addItem", "insertItem"):
                    args = [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS] + (
                        node.args[:1] if name == "addItem" else node.args[1:2] if name == "insertItem" else [])
                for arg in args:
                    text = literal_text(arg)
                    if text is not None and has_words(text):
                        report(arg, f"unmarked text given to {name}()")
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = call_name(node.exc)
            if name not in UNMARKED_EXCEPTIONS:
                for arg in node.exc.args[:1]:
                    text = literal_text(arg)
                    if text is not None and has_words(text):
                        report(arg, f"unmarked message of {name}")
    return found


def unmarked(under: Path = PACKAGE) -> list[str]:
    paths = [under] if under.is_file() else sorted(under.rglob("*.py"))
    return [f for path in paths
            if not any(part in path.relative_to(PACKAGE).as_posix() for part in SKIPPED)
            for f in findings(path)]


if __name__ == "__main__":
    import sys

    hits = unmarked(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else PACKAGE)
    print("\n".join(hits))
    print(f"{len(hits)} unmarked", file=sys.stderr)
