"""The training tab's runs on disk: the newest interrupted run, offered for **Resume** and continued
from its last completed epoch; a run file opened (its settings, and a finished run's curves and
model) or exported for ``cnnexplorer train``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from cnnexplorer.core.augment.pipeline import Augmenter
from cnnexplorer.core.i18n import tr
from cnnexplorer.core.infra.paths import data_dir
from cnnexplorer.core.training.events import TrainEvent, TrainEventKind
from cnnexplorer.core.training.fit import read_results
from cnnexplorer.core.training.resume import ResumeError, latest_interrupted, read_resume_point, run_and_staging
from cnnexplorer.core.training.runfile import RunFile, RunFileError, export_run, load_run_file
from cnnexplorer.core.training.runner import interrupted_run, train_run


class RunsOnDisk:
    """Part of :class:`~cnnexplorer.gui.training.tab.TrainingTab`: it uses the tab's set-up, status
    line, results view, dataset and fit (``_launch``, ``load_dataset``, ``_set_running``)."""

    # -- an interrupted run ----------------------------------------------------------------------
    def _find_interrupted(self, announce: bool = False) -> None:
        """Offer Resume for the newest interrupted run in the data folder (one that was killed with
        the app, or whose fit failed); ``announce``: say so in the status line."""
        self.interrupted = latest_interrupted(data_dir() / "runs")
        if self.interrupted is None or not announce:
            return
        try:
            point = read_resume_point(self.interrupted)
        except ResumeError as exc:
            self.status.setText(tr("Resume: {error}", error=exc))
            return
        folder = run_and_staging(self.interrupted)[0]
        if point is None:
            self.status.setText(tr("The run in {folder} was interrupted in its first epoch: Resume starts it again.",
                                   folder=folder))
        else:
            self.status.setText(tr("The run in {folder} was interrupted after epoch {done} of {epochs}: Resume "
                                   "continues it.", folder=folder, done=point.epochs_done, epochs=point.epochs))

    def resume(self) -> None:
        """Continue the interrupted run with its own settings (shown in the set-up): load its dataset
        unless it is the loaded one, then fit from its last completed epoch."""
        if self.interrupted is None or self._fit is not None or self._loader is not None:
            return
        try:
            run = interrupted_run(self.interrupted)
            augmenter = Augmenter.from_dict(run.augmentation) if run.augmentation else None
        except (ResumeError, RunFileError, ValueError) as exc:
            self.status.setText(tr("Resume: {error}", error=exc))
            self._find_interrupted()
            self._set_running(self.running)
            return
        self._apply_run(run, augmenter)
        self._resuming = (self.interrupted, run)
        if self.dataset is not None and self.dataset_spec == run.dataset:
            self._start_resumed()
        else:
            self.load_dataset(run.dataset)

    def _start_resumed(self) -> None:
        (folder, run), self._resuming = self._resuming, None
        dataset, snapshot = self.dataset, self.setup.config().snapshot_layer
        try:
            point = read_resume_point(folder)
        except ResumeError as exc:
            self.status.setText(tr("Resume: {error}", error=exc))
            return
        self._launch(lambda events, stop: train_run(run, folder, events.put, stop, dataset=dataset, resume=True,
                                                    snapshot_layer=snapshot), run, run.fit.epochs)
        if point is not None:  # the epochs before the interruption, on the curves from the start
            self.epochs = [TrainEvent(TrainEventKind.EPOCH, i + 1, 0, 0, {k: v[i] for k, v in point.history.items()},
                                      0.0, 0.0) for i in range(point.epochs_done)]
            self.results.draw_epochs(self.epochs)
        self.status.setText(tr("resuming after epoch {done}…", done=point.epochs_done if point else 0))

    # -- run files -------------------------------------------------------------------------------
    def open_run(self, path: str | None = None) -> bool:
        """Fill every setting (and the augmentation) from a run file; False with a message if it
        cannot be used."""
        path = path or QFileDialog.getOpenFileName(self, tr("Open run"), "", tr("Run files (*.json)"))[0]
        if not path or self.running:
            return False
        try:
            run = load_run_file(path)
            augmenter = Augmenter.from_dict(run.augmentation) if run.augmentation else None
        except (RunFileError, ValueError) as exc:
            self.status.setText(tr("Run file: {error}", error=exc))
            return False
        self._apply_run(run, augmenter)
        shown = self.setup.run_file(augmenter.to_dict() if augmenter else None).to_dict()
        clamped = [f"{section}.{key}" for section in ("dataset", "model", "fit") for key, value in
                   run.to_dict()[section].items() if shown[section][key] != value]
        if clamped:
            self.status.setText(tr("Opened {path}: press Load dataset, then Start training — outside what the tab "
                                   "offers, so changed: {changed}", path=path, changed=", ".join(clamped)))
        else:
            self.status.setText(tr("Opened {path}: press Load dataset, then Start training", path=path))
        self._show_finished_run(Path(path).parent)
        self.shown_run = run if self.results.has_curves() else None
        return True

    def _apply_run(self, run: RunFile, augmenter: Augmenter | None) -> None:
        """Every setting from ``run``; its pipeline (``augmenter``) ticked, or none."""
        self.setup.apply_run_file(run)
        if augmenter is not None:
            self.set_augmenter(augmenter)
        else:
            self.setup.augment.setChecked(False)

    def _show_finished_run(self, folder: Path) -> None:
        """A run file inside a finished run folder (the app's or ``cnnexplorer train``'s): show its
        curves and confusion matrix, and let its model open in the explorer."""
        self._clear_results()
        finished = read_results(folder)
        if finished is None:  # not a run folder (or not a finished one): the settings alone
            self._set_running(self.running)
            return
        self.results.show_finished_run(*finished)
        if (folder / "best.keras").exists():
            self.opened_run = folder
        self._set_running(self.running)

    def trained_model_path(self) -> Path | None:
        """The model **Open in model explorer** opens: the last fit's, or the opened run's best."""
        if self.result is not None:
            return self.result.last_path
        return self.opened_run / "best.keras" if self.opened_run is not None else None

    def export_run(self, folder: str | None = None) -> Path | None:
        """Write the settings as ``run.json`` in ``folder`` with the captures they need."""
        folder = folder or QFileDialog.getExistingDirectory(self, tr("Export run to folder"))
        if not folder:
            return None
        used = self.used_augmenter()
        try:
            path = export_run(self.setup.run_file(used.to_dict() if used else None), folder)
        except (RunFileError, ValueError, OSError) as exc:
            self.status.setText(tr("Export run: {error}", error=exc))
            return None
        self.status.setText(tr("Exported {path}: train it with `cnnexplorer train {path}`", path=path))
        return path
