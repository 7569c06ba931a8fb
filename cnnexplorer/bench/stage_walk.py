"""The walk behind ``bench stage``, run in its own process on a virtual screen: what a fresh start
shows once the bundled model answers, then every panel and every tab inside it; prints one JSON line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

SETTLE_S = 0.8  # a page's pictures are drawn by then (live panels redraw on the next frame)
PICTURES_WAIT_S = 120.0  # at most this long for a page whose pictures take a computation (three CAMs on a busy machine)


def _tab_pages(dock):
    """The panel's own tab widgets (not ones nested in another), each with its pages."""
    from PySide6.QtWidgets import QTabWidget

    tabs = [t for t in dock.findChildren(QTabWidget) if t.isVisible()]
    return [t for t in tabs if not any(o is not t and o.isAncestorOf(t) for o in tabs)]


def walk(app, window, scale: float | None, shots: Path | None, only: list[str] | None) -> list[dict]:
    from cnnexplorer.bench.stage import MIN_PICTURE_SHARE
    from cnnexplorer.bench.stalls import StallMeter
    from cnnexplorer.core.i18n import SOURCE_LANGUAGE, language
    from cnnexplorer.gui.common.wait import wait_until
    from cnnexplorer.gui.shell.language_audit import hangul_not_drawn, untranslated, visible_texts
    from cnnexplorer.gui.shell.stage_audit import clipped_texts, picture_share

    meter = StallMeter()  # the GUI thread's longest stall while entering or leaving presenter view
    pages = []

    def audit(page: str, dock) -> None:
        print(f"walking {page}", file=sys.stderr, flush=True)  # progress, and where a crash happened
        wait_until(app, lambda: False, SETTLE_S)
        wait_until(app, lambda: picture_share(dock) >= MIN_PICTURE_SHARE, PICTURES_WAIT_S)
        cut = clipped_texts(dock)
        if cut:  # a relayout may be on its way (an answer that just landed): a hall sees what stays cut
            wait_until(app, lambda: False, SETTLE_S)
            cut = clipped_texts(dock)
        shown = visible_texts(dock)
        texts = [text for _, text in shown]
        english = language() == SOURCE_LANGUAGE
        pages.append({"page": page, "cut": cut, "share": round(picture_share(dock), 3),
                      "texts": len(texts), "glyphs_missing": hangul_not_drawn(shown),
                      "untranslated": [] if english else untranslated(texts, layer_names(window))})
        if shots is not None:
            window.grab().save(str(shots / f"{page.replace('/', '_').replace(' ', '_')}.png"))

    # The Inception panel last, with a model that has Inception blocks (its own button loads one).
    names = [n for n in window.panels if n != "scenes" and (not only or n in only)]
    names.sort(key=lambda n: n == "inception")
    for name in names:
        dock = window.panels[name]
        if name == "inception":
            window.bring_forward(name)
            dock.load_button.click()
            wait_until(app, lambda: bool(dock.blocks) and dock.last is not None, 180)
        window.bring_forward(name)
        wait_until(app, lambda: False, SETTLE_S)
        switches = {}
        if scale is not None:
            switches["enter_ms"], switches["enter_stall_ms"] = _timed(app, window.toggle_presenter, meter)
        wait_until(app, lambda: False, SETTLE_S)
        tab_widgets = _tab_pages(dock)
        if not tab_widgets:
            audit(name, dock)
        for tabs in tab_widgets:
            for index in range(tabs.count()):
                if tabs.isTabVisible(index):
                    tabs.setCurrentIndex(index)
                    audit(f"{name}/{tabs.tabText(index)}", dock)
            tabs.setCurrentIndex(0)
        if scale is not None:
            switches["leave_ms"], switches["leave_stall_ms"] = _timed(app, window.leave_presenter, meter)
        pages[-1].update(switches)
    meter.stop()
    return pages


def first_view(app, window) -> dict:
    """What a fresh start shows with the explorer's first answer in: the window and the screen, the
    status bar, each tab title (wholly drawn, inside its bar, never elided), the course map (its
    height, and how far it scrolls), and whether the explorer's top-5 and Compare are wholly in view."""
    from PySide6.QtWidgets import QTabBar

    from cnnexplorer.gui.common.wait import wait_until

    wait_until(app, lambda: False, 0.3)  # the layout settles around the first result
    screen = app.primaryScreen().availableGeometry()
    tabs = []
    for bar in window.findChildren(QTabBar):
        if bar.isVisible():
            for i in range(bar.count()):
                text, rect = bar.tabText(i), bar.tabRect(i)
                tabs.append([text, rect.width() >= bar.fontMetrics().horizontalAdvance(text),
                             rect.right() < bar.width(), bar.elideMode().name])

    def whole(widget) -> bool:
        return widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size()

    return {"screen": [screen.width(), screen.height()],
            "window": [window.frameGeometry().width(), window.frameGeometry().height()],
            "status_bottom": window.statusBar().geometry().bottom(), "window_height": window.height(), "tabs": tabs,
            "map_height": window.course_map.height(), "map_scroll": window.course_map.verticalScrollBar().maximum(),
            "explorer_shown": window.explorer.last is not None,
            "explorer_in_view": [whole(window.explorer.predictions), whole(window.explorer.compare_combo)]}


def layer_names(window) -> frozenset[str]:
    """The loaded models' own names (layers, the model): they stay as the file has them."""
    names = set()
    for dock in window.panels.values():
        model = getattr(getattr(dock, "session", None), "model", None)
        if model is not None:
            names.add(model.model.name)
            names.update(layer.name for layer in model.model.layers)
    return frozenset(names)


def switch_languages(app, window, code: str, times: int = 3) -> dict:
    """Switch to English and back to ``code`` ``times`` times: the slowest switch, and the texts left
    in the other language after each."""
    from cnnexplorer.gui.shell.language_audit import leftover_korean, menu_texts, untranslated, visible_texts

    def texts() -> list[str]:
        return [t for _, t in visible_texts(window)] + menu_texts(window)

    slowest, leftovers = 0.0, set()
    for _ in range(times):
        for target in ("en", code):
            start = time.perf_counter()
            window.set_language(target)
            app.processEvents()
            slowest = max(slowest, (time.perf_counter() - start) * 1000)
            left = leftover_korean(texts()) if target == "en" else untranslated(texts(), layer_names(window))
            leftovers.update(left)
    return {"switch_max_ms": round(slowest, 1), "left_in_other_language": sorted(leftovers)}


def _timed(app, command, meter) -> tuple[float, float]:
    """Milliseconds the GUI thread is busy with ``command`` and the layout and paint it causes, and
    the longest stall the stall meter sees meanwhile (its 20 ms ticks may fall between the two)."""
    from cnnexplorer.gui.common.wait import wait_until  # Qt: imported once a QApplication exists

    meter.reset()
    start = time.perf_counter()
    command()
    app.processEvents()
    busy = round((time.perf_counter() - start) * 1000, 1)
    wait_until(app, lambda: False, 0.1)  # the meter's next tick closes the gap
    return busy, round(meter.longest * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", required=True)
    parser.add_argument("--scale", type=float)
    parser.add_argument("--shots")
    parser.add_argument("--panels")
    parser.add_argument("--switch", action="store_true", help="then switch languages and back, timed")
    args = parser.parse_args()
    if "CNNEXPLORER_HOME" not in os.environ:  # run alone; run_setup gives it a folder it removes after
        os.environ["CNNEXPLORER_HOME"] = tempfile.mkdtemp(prefix="cnnexplorer-stage-home-")
    from PySide6.QtWidgets import QApplication

    from cnnexplorer.core.i18n import SOURCE_LANGUAGE, language
    from cnnexplorer.core.infra.settings import Settings
    from cnnexplorer.gui.shell.language_audit import menu_texts
    from cnnexplorer.gui.common.wait import wait_until
    from cnnexplorer.gui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Settings(Path(os.environ["CNNEXPLORER_HOME"]) / "settings.json"))
    window.show()
    window.start_background_work("sample:chelsea")  # as the app starts: the source, Keras, then the model
    wait_until(app, lambda: window.keras.state in ("ready", "failed"), 180)
    window.bring_forward("model")
    wait_until(app, lambda: window.explorer.last is not None and bool(window.explorer.last.outputs), 180)
    first = first_view(app, window)
    if args.scale is not None:
        window.presenter.set_scale(args.scale)
    shots = Path(args.shots) if args.shots else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    pages = walk(app, window, args.scale, shots, args.panels.split(",") if args.panels else None)
    screen = app.primaryScreen().geometry()
    report = {"screen": [screen.width(), screen.height()], "window": [window.width(), window.height()],
              "pages": pages, "language": language(), "menus": menu_texts(window), "first_view": first}
    if args.switch and language() != SOURCE_LANGUAGE:
        report.update(switch_languages(app, window, language()))
    print(json.dumps(report), flush=True)
    # A measuring run ends here: the window's teardown is the tests' business, and a cycle collection
    # of the audit's Qt value objects during it has crashed PySide (segfault in the collector).
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
