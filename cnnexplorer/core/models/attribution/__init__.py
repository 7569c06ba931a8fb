"""See what the network sees (no Qt): class activation maps, input-gradient saliency, occlusion,
receptive fields and channel visualisation — every map aligned with the frame as given."""

from cnnexplorer.core.models.attribution.alignment import CropGeometry
from cnnexplorer.core.models.attribution.cam import CamResult, CamRunner, cam_runner, explain, grad_cam
from cnnexplorer.core.models.attribution.errors import AttributionError, Cancelled
from cnnexplorer.core.models.attribution.feature_vis import depth_layers, visualize_channel
from cnnexplorer.core.models.attribution.network import default_layer, spatial_layers
from cnnexplorer.core.models.attribution.occlusion import occlusion
from cnnexplorer.core.models.attribution.receptive_field import (
    ReceptiveField,
    effective_receptive_field,
    receptive_field,
)
from cnnexplorer.core.models.attribution.saliency import saliency

__all__ = [
    "AttributionError", "Cancelled", "CamResult", "CamRunner", "CropGeometry", "ReceptiveField", "cam_runner",
    "default_layer", "depth_layers", "effective_receptive_field", "explain", "grad_cam", "occlusion",
    "receptive_field", "saliency", "spatial_layers", "visualize_channel",
]
