"""The Attribution panel's per-frame work, without Qt: a CAM request in, an overlay-ready answer out.

Served by a newest-request-wins worker thread; the compiled call is cached per (model, layer,
method, classes), so a frame costs one forward-and-backward pass."""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from cnnexplorer.core.frames.frame import Frame
from cnnexplorer.core.models import zoo
from cnnexplorer.core.models.attribution.cam import CamResult, explain

COLOUR_MAPS = {"jet": cv2.COLORMAP_JET, "inferno": cv2.COLORMAP_INFERNO, "viridis": cv2.COLORMAP_VIRIDIS,
               "turbo": cv2.COLORMAP_TURBO}


@dataclass(frozen=True)
class CamRequest:
    frame: Frame
    model: zoo.ZooModel
    layer: str | None  # None: chosen automatically
    method: str
    classes: tuple[int | None, ...]  # a None entry: the next most likely class


@dataclass
class CamAnswer:
    request: CamRequest
    result: CamResult
    top: list[tuple[str, float]]  # names and probabilities of the classes explained
    ms: float


def answer(request: CamRequest) -> CamAnswer:
    start = time.perf_counter()
    result = explain(request.model, request.frame.rgb, list(request.classes), request.layer, request.method)
    names = request.model.class_names
    top = [((names[c] if names and c < len(names) else zoo.class_label(c)), float(result.probabilities[c]))
           for c in result.classes]
    return CamAnswer(request, result, top, (time.perf_counter() - start) * 1000.0)


class MapSmoother:
    """An exponential moving average of maps over frames; a new shape starts afresh."""

    def __init__(self) -> None:
        self._mean: np.ndarray | None = None

    def __call__(self, heat: np.ndarray, keep: float) -> np.ndarray:
        """``keep`` in [0, 1): the weight of the past (0: no smoothing)."""
        if self._mean is None or self._mean.shape != heat.shape or keep <= 0:
            self._mean = heat.astype(np.float32, copy=True)
        else:
            cv2.addWeighted(self._mean, keep, heat.astype(np.float32, copy=False), 1.0 - keep, 0.0, dst=self._mean)
        return self._mean

    def reset(self) -> None:
        self._mean = None


def blend(rgb: np.ndarray, heat: np.ndarray, opacity: float, colour_map: str = "jet") -> np.ndarray:
    """The frame with a [0, 1] map laid over it in ``colour_map``; where the map is 0 the frame shows
    through, so the crop's outside stays plain."""
    lut = COLOUR_MAPS.get(colour_map, cv2.COLORMAP_JET)
    levels = cv2.convertScaleAbs(heat, alpha=255.0)
    colours = cv2.cvtColor(cv2.applyColorMap(levels, lut), cv2.COLOR_BGR2RGB)
    alpha = (np.clip(heat, 0.0, 1.0) * 0.5 + 0.5) * float(opacity)
    alpha[heat <= 0] = 0.0
    alpha = alpha[..., None]
    return (rgb * (1.0 - alpha) + colours * alpha).astype(np.uint8)
