"""PySide6's per-import question — does this module use PySide6? — answered from the file's bytes:
the same answer as its own source check, and no module's lines left behind in ``linecache``."""

import inspect
import linecache
import sys

import cnnexplorer.gui  # noqa: F401 - replaces the check, as the app does before TensorFlow is imported


def test_an_imported_module_gets_pysides_answer_without_its_source_kept(tmp_path, monkeypatch):
    (tmp_path / "uses_qt_here.py").write_text("from PySide6.QtCore import QObject\nvalue = 1\n")
    (tmp_path / "plain_numbers_here.py").write_text("value = 2  # no Qt in this file\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    feature = sys.modules["shibokensupport.feature"]
    # A PySide6 without this check would leave the app as it is, but fail here: time to look again.
    assert getattr(feature._mod_uses_pyside, "reads_bytes", False)
    modules = [__import__(name) for name in ("uses_qt_here", "plain_numbers_here")]  # as an import statement does
    try:
        assert [feature.pyside_feature_dict[m.__name__] for m in modules] == [0, -1]  # PySide's codes
        assert not any(m.__file__ in linecache.cache for m in modules)
        for module in modules:  # the answer PySide's own check (the text of the source) gives
            assert feature._mod_uses_pyside(module) == ("PySide6" in inspect.getsource(module))
    finally:
        for module in modules:
            sys.modules.pop(module.__name__, None)
