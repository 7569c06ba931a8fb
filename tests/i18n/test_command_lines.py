"""The command lines speak the chosen language too (--lang, $CNNEXPLORER_LANG, LANG)."""

import os
import subprocess
import sys

from cnnexplorer.gui.shell.language_audit import has_hangul


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    chosen = ("CNNEXPLORER_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")  # only what the test gives decides
    environment = {k: v for k, v in os.environ.items() if k not in chosen}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "cnnexplorer", *args], capture_output=True, text=True,
                          env=environment, timeout=120)


def test_app_help_follows_lang_option_and_environment():
    assert has_hangul(run("--help", "--lang", "ko").stdout)
    assert not has_hangul(run("--help", "--lang", "en", LANG="ko_KR.UTF-8").stdout)
    assert has_hangul(run("--help", LANG="ko_KR.UTF-8").stdout)


def test_trainer_follows_the_environment_and_its_errors_speak_it():
    assert has_hangul(run("train", "--help", CNNEXPLORER_LANG="ko").stdout)
    missing = run("train", "없는 파일.json", CNNEXPLORER_LANG="ko")
    assert missing.returncode != 0 and has_hangul(missing.stderr) and "없는 파일.json" in missing.stderr


def test_an_unknown_language_is_refused_clearly():
    done = run("--help", "--lang", "xx")
    assert done.returncode == 2 and "xx" in done.stderr and "ko" in done.stderr


def test_a_korean_run_under_a_hangul_path_trains_and_speaks_korean(tmp_path):
    import json

    folder = tmp_path / "강의 자료"
    folder.mkdir()
    run_file, out = folder / "실행.json", folder / "결과 폴더"
    run_file.write_text(json.dumps({
        "version": 1, "seed": 0, "dataset": {"kind": "shapes", "size": 16, "classes": 2, "per_class": 20},
        "model": {"kind": "cnn", "filters": [4]},
        "fit": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 16, "epochs": 1}, "augmentation": None,
    }), encoding="utf-8")
    done = run("train", str(run_file), "--out", str(out), CNNEXPLORER_LANG="ko", TF_CPP_MIN_LOG_LEVEL="2",
               CUDA_VISIBLE_DEVICES="")
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(line.startswith("에포크 1/1") for line in done.stdout.splitlines()), done.stdout
    assert {"run.json", "history.json", "last.keras"} <= {p.name for p in out.iterdir()}
