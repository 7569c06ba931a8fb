"""Command line and start-up: ``cnnexplorer`` / ``python -m cnnexplorer``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from cnnexplorer import __version__
from cnnexplorer.core.i18n import LanguageError, add_language_option, start_command_line, tr

log = logging.getLogger("cnnexplorer.app")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line. The parser (and its help, in the current language) is built on each call."""
    parser = argparse.ArgumentParser(
        prog="cnnexplorer",
        description=tr("Teach and explore convolutional neural networks live from a webcam."),
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help=tr("show this help message and exit"))
    parser.add_argument("--version", action="version", version=f"cnnexplorer {__version__}",
                        help=tr("show the version number and exit"))
    parser.add_argument(
        "--source",
        metavar="SPEC",
        help=tr("what to show first: camera[:N][@WxH], sample:NAME, pattern:NAME or a file path "
                "(default: the last source, else camera 0, else sample:chelsea)"),
    )
    parser.add_argument("--snapshot", metavar="PNG", type=Path, help=tr("render offscreen to PNG and exit"))
    parser.add_argument("--panel", default="window",
                        help=tr("with --snapshot: a panel name (e.g. source) or 'window' (the default)"))
    parser.add_argument("--snapshot-timeout", metavar="S", type=float, default=120.0,
                        help=tr("with --snapshot: seconds to wait for the panel's first result (default 120)"))
    parser.add_argument("--reset-layout", action="store_true", help=tr("start with the default dock layout"))
    parser.add_argument("--data-dir", type=Path, help=tr("user data folder (default: the platform's)"))
    parser.add_argument("--verbose", action="store_true",
                        help=tr("show TensorFlow's native logs and library warnings in the terminal"))
    add_language_option(parser)
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--first-prediction-probe", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["train"]:  # headless training: no Qt
        from cnnexplorer.train import main as train

        return train(argv[1:])
    try:
        start_command_line(argv)  # the window reads the saved choice itself, once the data folder is known
    except LanguageError as exc:
        print(f"cnnexplorer: {exc}", file=sys.stderr)  # i18n: keep
        return 2
    args = parse_args(argv)
    if args.data_dir:
        from cnnexplorer.core.infra.paths import use_data_dir

        use_data_dir(args.data_dir)
    if (args.snapshot or args.startup_probe or args.first_prediction_probe) and not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cnnexplorer.core.infra.native_logs import set_verbose

    set_verbose(args.verbose)
    hint = missing_qt_libraries_hint()
    if hint:
        print(hint, file=sys.stderr)
        return 1

    from PySide6.QtWidgets import QApplication

    from cnnexplorer.core.infra.logs import setup_logging
    from cnnexplorer.core.infra.settings import Settings
    from cnnexplorer.gui.shell.errors import ErrorReporter
    from cnnexplorer.gui.common.language import choose_language
    from cnnexplorer.gui.shell.main_window import MainWindow, schedule_start

    log_file = setup_logging()
    log.info("cnnexplorer %s starting; log at %s", __version__, log_file)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cnnexplorer")
    settings = Settings()
    if args.reset_layout:
        settings.remove("window_state")
        settings.remove("window_geometry")
    choose_language(args.lang)  # wins over the saved choice for this window
    window = MainWindow(settings)
    reporter = ErrorReporter(window)
    reporter.install()

    if args.snapshot:
        return snapshot(app, window, args.snapshot, args.panel, args.source, args.snapshot_timeout)
    window.show()
    if args.startup_probe:
        return startup_probe(app, window)
    schedule_start(window, args.source)
    if args.first_prediction_probe:
        return first_prediction_probe(app, window)
    return app.exec()


def missing_qt_libraries_hint() -> str:
    """On Linux with X11, what to install before Qt's xcb plugin can start ("" when all is there)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    uses_xcb = platform.startswith("xcb") or (not platform and not os.environ.get("WAYLAND_DISPLAY"))
    if not (sys.platform.startswith("linux") and uses_xcb and os.environ.get("DISPLAY")):
        return ""
    from cnnexplorer.core.infra.qt_libraries import install_hint, missing_libraries

    return install_hint(missing_libraries())


def snapshot(app, window, path: Path, panel: str, source: str | None, timeout_s: float = 120.0) -> int:
    """Render the window (or one panel) once it shows its first result, save it as PNG, exit.

    A panel that computes (the model explorer: TensorFlow, then a model) is waited for up to
    ``timeout_s``; if it has shown nothing by then the picture is saved as it is, and we say so."""
    from cnnexplorer.gui.common.wait import wait_until
    from cnnexplorer.gui.shell.window_layout import DEFAULT_SIZE

    if panel != "window" and panel not in window.panels:
        print(tr("cnnexplorer: no panel {panel}; choose from window, {panels}", panel=repr(panel),
                 panels=", ".join(window.panels)), file=sys.stderr)
        window.shutdown()
        return 2
    window.setWindowState(window.windowState() & ~window.windowState().WindowMaximized)
    window.resize(*DEFAULT_SIZE)  # the same picture whatever screen renders it
    window.show()
    dock = window.panels.get(panel)
    if dock is not None:
        dock.show()
        dock.raise_()  # a tabbed panel comes to the front
        if hasattr(dock, "keras"):
            window.keras.start()
    window.source.set_source(source or "sample:chelsea")
    problems = []
    if not wait_until(app, lambda: window.source.current is not None, timeout_s=20):  # a file or photo: seconds at most
        problems.append(tr("the source gave no frame; the snapshot shows none"))
    elif hasattr(dock, "results_shown") and not wait_until(app, lambda: dock.results_shown > 0, timeout_s=timeout_s):
        problems.append(tr("panel {panel} showed no result within {seconds} s; the snapshot shows it unfinished",
                           panel=repr(panel), seconds=f"{timeout_s:g}"))
    window.resize(*DEFAULT_SIZE)  # again: the first show fits the default layout to the screen
    wait_until(app, lambda: False, timeout_s=0.3)  # let the HUD and views repaint once more
    ok = (dock or window).grab().save(str(path))
    window.close()
    for problem in problems:
        print(f"cnnexplorer: {problem}", file=sys.stderr)
    if not ok:
        print(tr("cnnexplorer: could not write {path}", path=path), file=sys.stderr)
        return 1
    print(path)
    return 1 if problems else 0


def startup_probe(app, window) -> int:
    """For ``bench startup``: report when the window is on screen, then start Keras and exit."""
    from cnnexplorer.gui.common.wait import wait_until

    app.processEvents()
    shown_at = time.time()
    keras_imported = "keras" in sys.modules or "tensorflow" in sys.modules
    window.keras.start()
    wait_until(app, lambda: False, timeout_s=0.2)
    figures = {"shown_at": shown_at, "keras_imported_at_show": keras_imported, "keras_state_after_show": window.keras.state}
    print(json.dumps(figures), flush=True)
    window.close()
    return 0


def first_prediction_probe(app, window, timeout_s: float = 300.0) -> int:
    """For ``bench first-prediction``: run the app's own event loop as a lecture starts it, with the
    model explorer brought forward as the first thing, and report when the window was mapped,
    TensorFlow ready, the explorer's model loaded and its first top-5 drawn (``time.time()`` each)."""
    from PySide6.QtCore import QTimer

    explorer = window.explorer
    milestones = {
        "window_mapped": lambda: window.windowHandle() is not None and window.windowHandle().isExposed(),
        "tensorflow_ready": lambda: window.keras.state == "ready",
        "model_loaded": lambda: explorer.session.model is not None,
        "top5_drawn": lambda: explorer.last is not None and bool(explorer.last.top) and explorer.results_shown > 0,
    }
    reached: dict[str, float] = {}
    deadline = time.time() + timeout_s

    def look() -> None:
        now = time.time()
        reached.update({name: now for name, test in milestones.items() if name not in reached and test()})
        if len(reached) == len(milestones) or window.keras.state == "failed" or now > deadline:
            watch.stop()
            app.quit()

    watch = QTimer(interval=2)
    watch.timeout.connect(look)
    watch.start()
    window.bring_forward("model")
    app.exec()
    print(json.dumps(reached), flush=True)
    window.close()
    return 0 if len(reached) == len(milestones) else 1
