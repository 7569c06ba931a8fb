"""``python -m cnnexplorer.bench stage``: what a hall sees of every panel (and every tab inside a
panel), with the bundled model loaded, in three set-ups on virtual screens — the window at
1280×720, presenter view ×1.5 at 1280×720 and ×2 at 1920×1080. For each it reports the texts cut
off and the share of the panel that its lesson pictures cover (target: none cut, ≥ 45 %), and how
long entering and leaving presenter view holds the GUI thread (target: ≤ 100 ms)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cnnexplorer.bench.launch import cache_bytecode

MIN_PICTURE_SHARE = 0.45
SETUPS = {
    "window-1280x720": (1280, 720, None),
    "presenter-x1.5-1280x720": (1280, 720, 1.5),
    "presenter-x2-1920x1080": (1920, 1080, 2.0),
}


def bench_stage(runs: int = 1, setups: tuple[str, ...] = tuple(SETUPS), shots: str | None = None,
                panels: str | None = None, language: str = "en") -> list[dict]:
    """One row per set-up: the panels walked, the cut texts and the picture shares; in a language
    other than English also the texts left untranslated and how long a switch takes."""
    cache_bytecode()
    return [run_setup(name, shots=shots, panels=panels, language=language) for name in setups]


def screen_env(folder: Path, width: int, height: int) -> dict[str, str]:
    """The environment of a process whose only screen is a virtual one of ``width`` × ``height``
    (offscreen), with its own data folder under ``folder``."""
    config = folder / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "hall", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", CNNEXPLORER_HOME=str(folder / "home"),
                TF_CPP_MIN_LOG_LEVEL="2")


def run_setup(name: str, shots: str | None = None, panels: str | None = None, timeout_s: float = 400,
              language: str = "en", switch: bool = True) -> dict:
    """Walk every panel in set-up ``name`` in a fresh process on a virtual screen of its size, speaking
    ``language`` (and, unless English, switching to English and back at the end when ``switch``)."""
    width, height, scale = SETUPS[name]
    args = [sys.executable, "-m", "cnnexplorer.bench.stage_walk", "--setup", name] + (["--switch"] if switch else [])
    if scale is not None:
        args += ["--scale", str(scale)]
    if shots:
        args += ["--shots", str(Path(shots) / name)]
    if panels:
        args += ["--panels", panels]
    with tempfile.TemporaryDirectory(prefix="cnnexplorer-stage-") as folder:  # its screen and data: gone after
        env = screen_env(Path(folder), width, height)
        env["CNNEXPLORER_LANG"] = language
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=timeout_s)
    if done.returncode != 0:
        raise RuntimeError(f"stage walk {name} failed:\n{done.stderr[-4000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["setup"] = name
    pages = report["pages"]
    report["cut_texts"] = sum(len(p["cut"]) for p in pages)
    report["smallest_share"] = min((p["share"] for p in pages), default=0.0)
    if language != "en":
        texts = sum(p["texts"] for p in pages)
        report["untranslated"] = sorted({t for p in pages for t in p["untranslated"]})
        report["translated_share"] = round(1 - sum(len(p["untranslated"]) for p in pages) / max(texts, 1), 4)
        report["glyphs_missing"] = sorted({c for p in pages for c in p["glyphs_missing"]})
    report["under_share"] = [f"{p['page']} {p['share']:.2f}" for p in pages if p["share"] < MIN_PICTURE_SHARE]
    switches = [p.get(key, 0.0) for p in pages for key in ("enter_ms", "leave_ms")]
    report["presenter_switch_max_ms"] = max(switches, default=0.0)
    stalls = [p.get(key, 0.0) for p in pages for key in ("enter_stall_ms", "leave_stall_ms")]
    report["presenter_longest_stall_ms"] = max(stalls, default=0.0)
    return report
