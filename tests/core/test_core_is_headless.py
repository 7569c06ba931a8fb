import subprocess
import sys


def test_core_imports_no_qt_and_no_keras():
    code = (
        "import sys, pkgutil, importlib, cnnexplorer.core as core\n"
        "mods = [importlib.import_module(m.name) for m in pkgutil.walk_packages(core.__path__, 'cnnexplorer.core.')]\nassert len(mods) > 30, len(mods)\n"
        "bad = [m for m in ('PySide6', 'pyqtgraph', 'keras', 'tensorflow') if m in sys.modules]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
