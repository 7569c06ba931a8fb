"""Headless training: ``cnnexplorer train RUN.json [--out DIR]`` or ``python -m cnnexplorer.train``.

No Qt is imported. Progress is one line per epoch (and a progress bar when the output is a
terminal); Ctrl+C stops after the current batch and saves what was learned. With ``TF_CONFIG`` set
the process is one worker of several (see README); only the chief writes the run folder.

Exit codes: 0 finished · 1 training or dataset failed · 2 bad run file or arguments · 3 the
cluster could not be formed · 137 (killed) the other workers did not answer within
``--peer-timeout`` (the message names them) · 130 stopped by Ctrl+C (what was learned is saved).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

EXIT_FAILED, EXIT_RUN_FILE, EXIT_CLUSTER, EXIT_STOPPED = 1, 2, 3, 130


class ProgressPrinter:
    """Epoch lines on ``stream``; on a terminal also a bar redrawn at most ten times a second."""

    def __init__(self, stream, epochs: int, bar: bool) -> None:
        self.stream, self.epochs, self.bar = stream, epochs, bar
        self._drawn_at = 0.0

    def __call__(self, event) -> None:
        if event.kind == "batch":
            if self.bar and time.monotonic() - self._drawn_at > 0.1:
                self._drawn_at = time.monotonic()
                done = int(24 * event.batch / event.batches)
                self.stream.write(f"\repoch {event.epoch + 1}/{self.epochs} [{'#' * done}{'.' * (24 - done)}] "
                                  f"{event.batch}/{event.batches} loss {event.logs.get('loss', float('nan')):.4f}")
                self.stream.flush()
            return
        logs = "  ".join(f"{k} {v:.4f}" for k, v in event.logs.items() if isinstance(v, (int, float)))
        clear = "\r\033[K" if self.bar else ""
        self.stream.write(f"{clear}epoch {event.epoch}/{self.epochs}  {logs}  {event.samples_per_s:,.0f} samples/s  "
                          f"ETA {event.eta_s:,.0f} s\n")
        self.stream.flush()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cnnexplorer train", description="Train a run file without the app.")
    parser.add_argument("run_file", type=Path, help="a run.json (the training tab saves one with every run)")
    parser.add_argument("--out", type=Path, help="the run folder to write (default: a new one under the data folder)")
    parser.add_argument("--peer-timeout", type=float, default=None, metavar="S",
                        help="with TF_CONFIG: seconds to wait for the other workers (default 60)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter
    from cnnexplorer.core.training.datasets import DatasetError
    from cnnexplorer.core.training.distribute import PEER_TIMEOUT_S, DistributionError, choose_placement
    from cnnexplorer.core.training.fit import TrainingError
    from cnnexplorer.core.training.runfile import RunFileError, check_inputs, load_run_file
    from cnnexplorer.core.training.runner import train_run

    def fail(code: int, message: str) -> int:
        print(f"cnnexplorer train: {message}", file=sys.stderr, flush=True)
        return code

    try:
        run = load_run_file(args.run_file)
        check_inputs(run)
    except RunFileError as exc:
        return fail(EXIT_RUN_FILE, str(exc))
    try:  # first: a multi-worker strategy must exist before any other TensorFlow work
        placement = choose_placement(args.peer_timeout or PEER_TIMEOUT_S)
    except DistributionError as exc:
        return fail(EXIT_CLUSTER, str(exc))
    print(f"training {args.run_file} on {placement.description}", flush=True)

    stop = threading.Event()

    def on_sigint(signum, frame) -> None:
        print("\nstopping after this batch (Ctrl+C again to abort without saving)…", file=sys.stderr, flush=True)
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, on_sigint)
    printer = ProgressPrinter(sys.stdout, run.fit.epochs, sys.stdout.isatty())

    def on_dataset(dataset) -> None:
        print(f"{dataset.name}: {len(dataset.x_train)} training and {len(dataset.x_val)} validation images of "
              f"{dataset.image_shape[1]}×{dataset.image_shape[0]}, classes {', '.join(dataset.class_names)}", flush=True)

    try:
        result = train_run(run, args.out, printer, stop, placement, on_dataset)
    except (DatasetError, RunFileError) as exc:
        return fail(EXIT_FAILED, str(exc))
    except TrainingError as exc:
        cause = exc.__cause__
        return fail(EXIT_FAILED, str(cause) if isinstance(cause, RunFileError) else str(exc))
    except KeyboardInterrupt:
        return fail(EXIT_STOPPED, "aborted: the unfinished run was not completed (its folder ends in .partial)")
    finally:
        signal.signal(signal.SIGINT, previous)
    where = result.run_dir if placement.chief else "nowhere (not the chief)"
    print(f"validation accuracy {result.val_accuracy:.3f} · {result.samples_per_s:,.0f} samples/s · "
          f"weights {result.fingerprint} · saved to {where}", flush=True)
    if result.stopped:
        return fail(EXIT_STOPPED, f"stopped by Ctrl+C after {len(result.history.get('loss', []))} epoch(s); "
                                  "what was learned is saved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
