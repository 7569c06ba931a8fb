"""The install story: resources travel in the wheel, the CLI runs, benchmarks print JSON."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cnnexplorer import __version__
from cnnexplorer.core.frames.images import load_image
from cnnexplorer.core.infra.resources import resources_dir
from tests.media import write_video

ROOT = Path(__file__).resolve().parent.parent


def run(args, **kwargs):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **kwargs.pop("env", {})}
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env, **kwargs)


def test_resources_found_from_checkout():
    assert resources_dir() == ROOT / "resources"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)])
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = out.glob("cnnexplorer-*.whl")
    return path


def test_wheel_carries_resources_and_entry_point(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "cnnexplorer/resources/images/chelsea.png" in names
    assert "cnnexplorer/resources/images/LICENSES.md" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "cnnexplorer = cnnexplorer.app:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_finds_its_resources(wheel, tmp_path):
    site = tmp_path / "site"
    result = run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--target", str(site), str(wheel)])
    assert result.returncode == 0, result.stderr
    code = "from cnnexplorer.core.infra.resources import resource; print(resource('images', 'chelsea.png'))"
    result = run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(site)})
    assert result.returncode == 0, result.stderr
    found = Path(result.stdout.strip())
    assert found.is_relative_to(site) and found.is_file()


def test_version_flag():
    result = run([sys.executable, "-m", "cnnexplorer", "--version"])
    assert result.returncode == 0 and result.stdout.strip() == f"cnnexplorer {__version__}"


def test_snapshot_of_one_panel(tmp_path):
    out = tmp_path / "source.png"
    result = run([sys.executable, "-m", "cnnexplorer", "--snapshot", str(out), "--source", "pattern:checkerboard",
                  "--panel", "source", "--data-dir", str(tmp_path / "home")])
    assert result.returncode == 0, result.stderr
    picture = load_image(out)
    assert picture.shape[0] > 200 and picture.shape[1] > 200
    assert (picture.min(axis=2) > 245).mean() > 0.1 and (picture.max(axis=2) < 10).mean() > 0.1  # the board


def test_snapshot_of_window_and_bad_panel(tmp_path):
    out = tmp_path / "window.png"
    result = run([sys.executable, "-m", "cnnexplorer", "--snapshot", str(out), "--source", "sample:coffee",
                  "--data-dir", str(tmp_path / "home")])
    assert result.returncode == 0, result.stderr
    assert load_image(out).shape[:2] == (900, 1400)
    result = run([sys.executable, "-m", "cnnexplorer", "--snapshot", str(out), "--panel", "nope",
                  "--data-dir", str(tmp_path / "home")])
    assert result.returncode == 2 and "no panel 'nope'" in result.stderr


def test_bench_startup_prints_json():
    result = run([sys.executable, "-m", "cnnexplorer.bench", "startup", "--runs", "1"])
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["benchmark"] == "startup" and figures["median_s"] > 0
    assert figures["keras_imported_at_show"] is False  # the window came first
    assert figures["keras_state_after_show"] == ["loading"]


def test_closing_with_a_running_video_exits_cleanly(tmp_path):
    clip = tmp_path / "clip.avi"
    write_video(clip, frames=300)
    result = run([sys.executable, "-m", "cnnexplorer", "--snapshot", str(tmp_path / "v.png"), "--source", str(clip),
                  "--data-dir", str(tmp_path / "home")])
    assert result.returncode == 0, result.stderr
    assert "Destroyed while thread" not in result.stderr


@pytest.mark.parametrize("views", [True, False])
def test_bench_live_runs_the_named_model(views):
    """The app's pipeline with its views drawing every result, or (``--no-views``) none; the CPU
    time per frame of the bare caller and of the app's two threads, as figures."""
    pytest.importorskip("keras")
    result = run([sys.executable, "-m", "cnnexplorer.bench", "live", "--model", "mini_inception", "--runs", "1",
                  *([] if views else ["--no-views"])])
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["model"] == "mini_inception" and figures["app_pipeline_fps"] > 0 and figures["ratio"] > 0
    assert figures["views"] is views
    assert figures["grid_paints_per_result"] >= 0.5 if views else figures["grid_paints_per_result"] == 0
    cpu = figures["cpu_ms_per_frame"]
    assert set(cpu) == {"bare_caller", "app_forward_thread", "app_gui_thread"} and all(v > 0 for v in cpu.values())


def test_bench_live_refuses_no_views_with_an_overlay():
    result = run([sys.executable, "-m", "cnnexplorer.bench", "live", "--overlay", "gradcam", "--no-views"])
    assert result.returncode == 2 and "--no-views" in result.stderr


@pytest.mark.long
def test_soak_benchmark_short_run_sees_every_panel_and_no_exception():
    result = run([sys.executable, "-m", "cnnexplorer.bench", "soak", "--minutes", "0.2", "--switch-s", "4"])
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["summary"] and summary["exceptions"] == 0, summary["first_exception"]
    assert summary["frames"] > 100
    assert all(count > 0 for count in summary["results"].values()), summary["results"]
    assert summary["rss_end_mb"] > 0 and "longest_stall_s" in summary
