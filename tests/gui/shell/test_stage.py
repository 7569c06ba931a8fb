"""What a hall sees, measured in three set-ups (the window at 1280×720, presenter ×1.5 at 1280×720,
presenter ×2 at 1920×1080), every panel and every tab inside it with the model loaded: no text cut
off anywhere, and the lesson pictures cover at least 45 % of the panel."""

import pytest

from cnnexplorer.bench.stage import MIN_PICTURE_SHARE, SETUPS

LANGUAGE = "en"
pytestmark = pytest.mark.long


@pytest.mark.parametrize("setup", list(SETUPS))
def test_nothing_is_cut_and_the_pictures_take_the_panel(stage_walks, setup):
    report = stage_walks.report(setup, LANGUAGE)
    pages = {p["page"]: p for p in report["pages"]}
    assert {"conv", "model/Graph", "inception", "augment", "basics", "source"} <= set(pages)
    cut = {page: p["cut"] for page, p in pages.items() if p["cut"]}
    assert cut == {}
    small = {page: p["share"] for page, p in pages.items() if p["share"] < MIN_PICTURE_SHARE}
    assert small == {}
    screen_w, screen_h = report["screen"]
    assert report["window"][0] <= screen_w and report["window"][1] <= screen_h  # back from presenter view, on screen


def test_a_report_whose_walks_ended_unreported_fails_at_once_saying_so(tmp_path):
    """Should the test process running the walks die, the stage tests say so instead of waiting."""
    import subprocess
    import sys
    import time

    from tests.gui.shell.stage_walks import StageWalks

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / "stage-walks.lock").write_text(ended.stdout.strip())
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=f"pid {ended.stdout.strip()}"):
        StageWalks(tmp_path).report("window-1280x720", LANGUAGE)
    assert time.monotonic() - started < 5
