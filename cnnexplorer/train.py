"""Headless training: ``cnnexplorer train RUN.json [--out DIR | --resume DIR]`` or
``python -m cnnexplorer.train``.

No Qt is imported. Progress is one line per epoch (and a progress bar when the output is a
terminal); Ctrl+C stops after the current batch and saves what was learned. A run killed in any
other way continues from its last completed epoch with ``--resume DIR``. With ``TF_CONFIG`` set
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

from cnnexplorer.core.i18n import N_, LanguageError, add_language_option, start_command_line, tr
from cnnexplorer.core.i18n import SETTING as LANGUAGE_SETTING
from cnnexplorer.core.infra.settings import Settings

EXIT_FAILED, EXIT_RUN_FILE, EXIT_CLUSTER, EXIT_STOPPED = 1, 2, 3, 130


# Keras' names of the figures an epoch reports, as the epoch lines show them.
METRIC_NAMES = {"loss": N_("loss"), "accuracy": N_("accuracy"), "val_loss": N_("val_loss"),
                "val_accuracy": N_("val_accuracy")}


def metric_name(key: str) -> str:
    return tr(METRIC_NAMES[key]) if key in METRIC_NAMES else key


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
                bar, loss = "#" * done + "." * (24 - done), f"{event.logs.get('loss', float('nan')):.4f}"
                self.stream.write("\r" + tr("epoch {epoch}/{epochs} [{bar}] {batch}/{batches} loss {loss}",
                                             epoch=event.epoch + 1, epochs=self.epochs, bar=bar, batch=event.batch,
                                             batches=event.batches, loss=loss))
                self.stream.flush()
            return
        logs = "  ".join(f"{metric_name(k)} {v:.4f}" for k, v in event.logs.items() if isinstance(v, (int, float)))
        clear = "\r\033[K" if self.bar else ""
        self.stream.write(clear + tr("epoch {epoch}/{epochs}  {figures}  {rate} samples/s  ETA {eta} s",
                                     epoch=event.epoch, epochs=self.epochs, figures=logs,
                                     rate=f"{event.samples_per_s:,.0f}", eta=f"{event.eta_s:,.0f}") + "\n")
        self.stream.flush()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line. The parser (and its help, in the current language) is built on each call."""
    parser = argparse.ArgumentParser(prog="cnnexplorer train", description=tr("Train a run file without the app."),
                                     add_help=False)
    parser.add_argument("-h", "--help", action="help", help=tr("show this help message and exit"))
    parser.add_argument("run_file", type=Path, help=tr("a run.json (the training tab saves one with every run)"))
    parser.add_argument("--out", type=Path,
                        help=tr("the run folder to write (default: a new one under the data folder)"))
    parser.add_argument("--resume", type=Path, metavar="DIR",
                        help=tr("continue the interrupted run in DIR (its --out folder) from its last completed epoch"))
    parser.add_argument("--peer-timeout", type=float, default=None, metavar="S",
                        help=tr("with TF_CONFIG: seconds to wait for the other workers (default 60)"))
    add_language_option(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        start_command_line(argv, Settings().get(LANGUAGE_SETTING, "system"))
    except LanguageError as exc:
        print(f"cnnexplorer train: {exc}", file=sys.stderr)  # i18n: keep
        return 2
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter
    from cnnexplorer.core.training.datasets import DatasetError
    from cnnexplorer.core.training.distribute import PEER_TIMEOUT_S, DistributionError, choose_placement
    from cnnexplorer.core.training.fit import TrainingError, check_run_dir
    from cnnexplorer.core.training.resume import ResumeError, interrupted_staging, read_resume_point
    from cnnexplorer.core.training.runfile import RunFileError, check_inputs, load_run_file
    from cnnexplorer.core.training.runner import check_same_run, train_run

    def fail(code: int, message: str) -> int:
        print(tr("cnnexplorer train: {message}", message=message), file=sys.stderr, flush=True)
        return code

    several_workers = bool(os.environ.get("TF_CONFIG", "").strip())
    try:
        run = load_run_file(args.run_file)
        check_inputs(run)
    except RunFileError as exc:
        return fail(EXIT_RUN_FILE, str(exc))
    if args.resume:
        if args.out:
            return fail(EXIT_RUN_FILE, tr("--resume writes into the folder it continues: leave out --out"))
        if several_workers:
            return fail(EXIT_RUN_FILE, tr("a run of several workers cannot be resumed: start it again"))
        try:
            point = read_resume_point(interrupted_staging(args.resume))
        except ResumeError as exc:
            return fail(EXIT_RUN_FILE, str(exc))
        try:  # said now, not after TensorFlow's start
            check_same_run(run, args.resume)
        except TrainingError as exc:
            return fail(EXIT_FAILED, str(exc))
        print(tr("resuming {folder} after epoch {done} of {epochs}; the data order is drawn again, so the weights "
                 "need not be bit-identical to an uninterrupted run's", folder=args.resume,
                 done=point.epochs_done if point else 0, epochs=run.fit.epochs), flush=True)
    elif args.out and not several_workers:  # said now, not after TensorFlow's start
        try:  # (under several workers only the chief writes there: it checks once it knows it is the chief)
            check_run_dir(Path(args.out))
        except TrainingError as exc:
            return fail(EXIT_FAILED, str(exc))
    try:  # first: a multi-worker strategy must exist before any other TensorFlow work
        placement = choose_placement(args.peer_timeout or PEER_TIMEOUT_S)
    except DistributionError as exc:
        return fail(EXIT_CLUSTER, str(exc))
    print(tr("training {run_file} on {placement}", run_file=args.run_file, placement=placement.description), flush=True)

    stop = threading.Event()

    def on_sigint(signum, frame) -> None:
        print("\n" + tr("stopping after this batch (Ctrl+C again to abort without saving)…"), file=sys.stderr,
              flush=True)
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, on_sigint)
    printer = ProgressPrinter(sys.stdout, run.fit.epochs, sys.stdout.isatty())

    def on_dataset(dataset) -> None:
        print(tr("{dataset}: {training} training and {validation} validation images of {width}×{height}, "
                 "classes {classes}", dataset=dataset.name, training=len(dataset.x_train),
                 validation=len(dataset.x_val), width=dataset.image_shape[1], height=dataset.image_shape[0],
                 classes=", ".join(dataset.class_names)), flush=True)

    try:
        result = train_run(run, args.resume or args.out, printer, stop, placement, on_dataset,
                           resume=args.resume is not None)
    except (DatasetError, RunFileError) as exc:
        return fail(EXIT_FAILED, str(exc))
    except TrainingError as exc:
        cause = exc.__cause__
        return fail(EXIT_FAILED, str(cause) if isinstance(cause, RunFileError) else str(exc))
    except KeyboardInterrupt:
        return fail(EXIT_STOPPED, tr("aborted: the unfinished run was not completed (its folder ends in .partial)"))
    finally:
        signal.signal(signal.SIGINT, previous)
    where = result.run_dir if placement.chief else tr("nowhere (not the chief)")
    accuracy, rate = f"{result.val_accuracy:.3f}", f"{result.samples_per_s:,.0f}"
    print(tr("validation accuracy {accuracy} · {rate} samples/s · weights {fingerprint} · saved to {where}",
             accuracy=accuracy, rate=rate, fingerprint=result.fingerprint, where=where), flush=True)
    if result.stopped:
        return fail(EXIT_STOPPED, tr("stopped by Ctrl+C after {epochs} epoch(s); what was learned is saved",
                                     epochs=len(result.history.get("loss", []))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
