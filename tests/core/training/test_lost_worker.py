"""A worker of a multi-worker run killed mid-run: the others say so within seconds (its heartbeats
stop), not after the all-reduce timeout of minutes, and name it."""

import subprocess
import sys
import time

import pytest

from tests.test_train_cli import QUIET, free_ports, tf_config, write_run

pytest.importorskip("keras")

PEER_TIMEOUT_S = 15


@pytest.mark.long
def test_a_worker_killed_mid_run_is_reported_within_seconds(tmp_path):
    run_file, out = write_run(tmp_path, epochs=40, batch_size=4), tmp_path / "out"
    ports = free_ports(2)
    workers = [subprocess.Popen([sys.executable, "-m", "cnnexplorer.train", run_file, "--out", str(out),
                                 "--peer-timeout", str(PEER_TIMEOUT_S)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**QUIET, "TF_CONFIG": tf_config(ports, i)})
               for i in range(2)]
    try:
        for line in workers[1].stdout:  # the run is under way: both have finished an epoch together
            if line.startswith("epoch 2/40"):
                break
        workers[1].kill()
        killed = time.monotonic()
        stdout, stderr = workers[0].communicate(timeout=PEER_TIMEOUT_S + 120)
        waited = time.monotonic() - killed
    finally:
        for worker in workers:
            worker.kill()
            worker.communicate()
    assert workers[0].returncode == 1, stderr[-3000:]
    assert "worker 1 of the cluster stopped answering" in stderr, stderr[-3000:]
    assert waited < PEER_TIMEOUT_S + 30  # seconds, with a margin for a loaded machine: not the 600 s all-reduce timeout
    assert list(out.iterdir()) == [] and (tmp_path / "out.partial").is_dir()  # never a complete-looking folder
