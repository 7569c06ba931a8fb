import subprocess
import sys

from cnnexplorer.core.infra.qt_libraries import XCB_LIBRARIES, install_hint, missing_libraries

IMPORT_TF_QUIETLY = """
import sys, warnings
from cnnexplorer.core.infra.native_logs import native_stderr_to_log, set_verbose
set_verbose({verbose})
with native_stderr_to_log(sys.argv[1]):
    import tensorflow
print("imported", file=sys.stderr)
"""


def _import_tensorflow(tmp_path, verbose: bool) -> tuple[str, str]:
    log = tmp_path / "native.log"
    done = subprocess.run([sys.executable, "-c", IMPORT_TF_QUIETLY.format(verbose=verbose), str(log)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stderr, log.read_text() if log.exists() else ""


def test_tensorflow_start_up_lines_go_to_the_log_not_the_terminal(tmp_path):
    terminal, logged = _import_tensorflow(tmp_path, verbose=False)
    assert terminal.strip() == "imported"
    assert "oneDNN" in logged or "cuda" in logged.lower()  # the lines are kept, not lost


def test_verbose_keeps_them_on_the_terminal(tmp_path):
    terminal, logged = _import_tensorflow(tmp_path, verbose=True)
    assert "oneDNN" in terminal or "cuda" in terminal.lower()
    assert logged == ""


def test_keras_structure_warning_is_filtered_unless_verbose():
    code = """
import warnings
from cnnexplorer.core.infra.native_logs import set_verbose
set_verbose(False)
with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("default")
    set_verbose(False)
    warnings.warn("The structure of `inputs` doesn't match the expected structure.\\nExpected: ['x']")
    warnings.warn("another warning")
print([str(w.message)[:7] for w in seen])
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "['another']", done.stderr


def test_missing_system_library_is_named_with_its_package():
    missing = missing_libraries({"cnnexplorer-no-such-library": "libno-such0", "c": "libc6"})
    assert missing == ["libno-such0"]
    hint = install_hint(missing)
    assert "sudo apt install libno-such0" in hint and "xcb" in hint
    assert install_hint([]) == ""
    assert "libxcb-cursor0" in XCB_LIBRARIES.values()
