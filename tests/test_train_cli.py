"""``cnnexplorer train``: real subprocesses on a tiny run file (CPU), each bounded by a timeout."""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("keras")

RUN = {"version": 1, "seed": 0, "dataset": {"kind": "shapes", "size": 16, "classes": 2, "per_class": 40},
       "model": {"kind": "cnn", "filters": [8]},
       "fit": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 16, "epochs": 2}, "augmentation": None}
QUIET = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": ""}
QUIET.pop("TF_CONFIG", None)


def write_run(folder, **fit) -> str:
    path = folder / "run.json"
    path.write_text(json.dumps({**RUN, "fit": {**RUN["fit"], **fit}}))
    return str(path)


def train(*args, env=QUIET, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cnnexplorer.train", *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def test_the_app_command_trains_a_run_file_without_qt(tmp_path):
    run_file, out = write_run(tmp_path), tmp_path / "out"
    code = ("import sys\nfrom cnnexplorer.app import main\n"
            f"rc = main(['train', {run_file!r}, '--out', {str(out)!r}])\n"
            "qt = [m for m in ('PySide6', 'pyqtgraph') if m in sys.modules]\n"
            "print('qt modules:', qt)\nsys.exit(rc if not qt else 99)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=QUIET, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines if line.startswith("epoch")] == [["epoch", "1/2"], ["epoch", "2/2"]]
    assert "qt modules: []" in done.stdout
    assert json.loads((out / "class_names.json").read_text()) == ["circle", "square"]
    assert json.loads((out / "preprocessing.json").read_text()) == {"mode": "unit"}
    assert json.loads((out / "run.json").read_text())["fit"]["epochs"] == 2
    assert len(json.loads((out / "history.json").read_text())["loss"]) == 2
    confusion = json.loads((out / "confusion.json").read_text())
    assert sum(map(sum, confusion["counts"])) == 16 and confusion["class_names"] == ["circle", "square"]
    assert {"best.keras", "last.keras", "history.csv"} <= {p.name for p in out.iterdir()}
    assert not (tmp_path / "out.partial").exists()


def test_bad_input_exits_with_the_reason(tmp_path):
    data = {**RUN, "version": 9}
    (tmp_path / "new.json").write_text(json.dumps(data))
    done = train(str(tmp_path / "new.json"))
    assert done.returncode == 2 and "newer than this cnnexplorer reads" in done.stderr
    gone = {**RUN, "dataset": {"kind": "folder", "folder": str(tmp_path / "photos")}}
    (tmp_path / "gone.json").write_text(json.dumps(gone))
    done = train(str(tmp_path / "gone.json"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "photos is gone" in done.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.partial").exists()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("someone's work")
    done = train(write_run(tmp_path), "--out", str(tmp_path / "out"))
    assert done.returncode == 1 and "already holds files" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""  # said before TensorFlow started
    (tmp_path / "a file").write_text("someone's notes")
    done = train(write_run(tmp_path), "--out", str(tmp_path / "a file"))
    assert done.returncode == 1 and "already holds files" in done.stderr and done.stdout == ""


def test_ctrl_c_stops_after_the_batch_and_saves(tmp_path):
    out = tmp_path / "out"
    worker = subprocess.Popen([sys.executable, "-m", "cnnexplorer.train", write_run(tmp_path, epochs=500, batch_size=4),
                               "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=QUIET)
    try:
        for line in worker.stdout:  # the first epoch line: the fit is under way
            if line.startswith("epoch 1/500"):
                break
        worker.send_signal(signal.SIGINT)
        stdout, stderr = worker.communicate(timeout=120)
    finally:
        worker.kill()
    assert worker.returncode == 130, stderr[-3000:]
    assert "stopped by Ctrl+C" in stderr and "saved" in stderr
    epochs = len(json.loads((out / "history.json").read_text())["loss"])
    assert 1 <= epochs < 500 and (out / "last.keras").exists() and (out / "best.keras").exists()


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def tf_config(ports, index) -> str:
    return json.dumps({"cluster": {"worker": [f"localhost:{p}" for p in ports]},
                       "task": {"type": "worker", "index": index}})


@pytest.mark.long
def test_a_malformed_or_lonely_cluster_fails_with_the_address(tmp_path):
    run_file = write_run(tmp_path)
    done = train(run_file, env={**QUIET, "TF_CONFIG": '{"cluster": {"worker": ["localhost:1"]}'})
    assert done.returncode == 3 and "TF_CONFIG is not a cluster description" in done.stderr
    ports = free_ports(2)
    started = time.monotonic()
    done = train(run_file, "--peer-timeout", "3", "--out", str(tmp_path / "out"),
                 env={**QUIET, "TF_CONFIG": tf_config(ports, 0)}, timeout=120)
    assert done.returncode == -signal.SIGKILL and f"no answer from localhost:{ports[1]} within 3 s" in done.stderr, \
        done.stderr[-2000:]
    assert time.monotonic() - started < 100
    assert not (tmp_path / "out").exists()


@pytest.mark.long
def test_two_workers_learn_the_same_weights_and_only_the_chief_writes(tmp_path):
    run_file, out = write_run(tmp_path, epochs=2), tmp_path / "out"
    ports = free_ports(2)
    workers = [subprocess.Popen([sys.executable, "-m", "cnnexplorer.train", run_file, "--out", str(out),
                                 "--peer-timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**QUIET, "TF_CONFIG": tf_config(ports, i)}) for i in range(2)]
    try:
        outputs = [w.communicate(timeout=240) for w in workers]
    finally:
        for w in workers:
            w.kill()
    for w, (stdout, stderr) in zip(workers, outputs):
        assert w.returncode == 0, stdout + stderr[-3000:]
    finals = [stdout.splitlines()[-1] for stdout, _ in outputs]
    fingerprints = [line.split("weights ")[1].split()[0] for line in finals]
    assert fingerprints[0] == fingerprints[1]
    assert f"saved to {out}" in finals[0] and "saved to nowhere (not the chief)" in finals[1]
    assert "chief 0 of 2 workers" in outputs[0][0] and "worker 1 of 2 workers" in outputs[1][0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "run.json"]
    import keras

    from cnnexplorer.core.training.fit import weights_fingerprint

    assert weights_fingerprint(keras.saving.load_model(out / "last.keras").get_weights()) == fingerprints[0]


def test_on_jax_the_batch_is_split_over_the_devices(tmp_path):
    pytest.importorskip("jax")
    env = {**QUIET, "KERAS_BACKEND": "jax", "XLA_FLAGS": "--xla_force_host_platform_device_count=2"}
    done = train(write_run(tmp_path, batch_size=8), "--out", str(tmp_path / "out"), env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "on DataParallel over 2 devices" in done.stdout and (tmp_path / "out" / "best.keras").exists()
    done = train(write_run(tmp_path, batch_size=7), env=env)
    assert done.returncode == 1 and "batch size 7 does not split over 2 devices" in done.stderr
