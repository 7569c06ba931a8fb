import cv2
import numpy as np
import pytest

from cnnexplorer.core.frames import patterns
from cnnexplorer.core.frames.sources import (
    CameraSource,
    SourceError,
    StillSource,
    VideoSource,
    catalogue,
    open_source,
    samples,
)
from tests.media import write_video


def test_specs_parse():
    camera = open_source("camera:1@1280x720")
    assert isinstance(camera, CameraSource) and camera.device == 1 and camera.size == (1280, 720)
    assert camera.mirror and camera.live
    assert open_source("camera").device == 0
    assert isinstance(open_source("sample:chelsea"), StillSource)
    assert isinstance(open_source("pattern:checkerboard"), StillSource)
    assert isinstance(open_source("/some/where/clip.MP4"), VideoSource)
    for spec in catalogue():
        assert open_source(spec).spec == spec


@pytest.mark.parametrize("spec, match", [("sample:dog", "no sample"), ("pattern:zebra", "no pattern"), ("  ", "empty")])
def test_bad_specs_raise(spec, match):
    with pytest.raises(SourceError, match=match):
        open_source(spec)


def test_samples_ship_real_photos():
    found = samples()
    assert {"chelsea", "coffee", "astronaut"} <= set(found)
    for name in found:
        source = open_source(f"sample:{name}")
        source.open()
        frame = source.read()
        assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3 and frame.std() > 10


@pytest.mark.parametrize("name", list(patterns.PATTERNS))
def test_patterns_are_rgb_frames_with_content(name):
    frame = patterns.pattern(name)
    assert frame.shape == (480, 640, 3) and frame.dtype == np.uint8
    assert frame.min() < 50 and frame.max() > 200


def test_stripes_follow_their_angle():
    vertical = patterns.stripes(0)
    assert (vertical[0] == vertical[-1]).all()  # columns constant: vertical bars
    horizontal = patterns.stripes(90)
    assert (horizontal[:, 0] == horizontal[:, -1]).all()


def test_bad_image_file_raises_source_error(tmp_path):
    path = tmp_path / "not.png"
    path.write_text("text")
    source = open_source(str(path))
    with pytest.raises(SourceError, match="not.png"):
        source.open()


def test_video_source_loops(video_file):
    source = open_source(str(video_file))
    source.open()
    assert source.frame_interval == pytest.approx(1 / 30, rel=0.01)
    frames = [source.read() for _ in range(75)]
    source.close()
    assert all(f is not None and f.shape == (120, 160, 3) for f in frames)
    np.testing.assert_array_equal(frames[0], frames[30])  # frame 30 is frame 0 again


def test_missing_video_raises(tmp_path):
    with pytest.raises(SourceError, match="no such video"):
        VideoSource(tmp_path / "gone.avi").open()
    broken = tmp_path / "broken.avi"
    broken.write_bytes(b"RIFF junk")
    with pytest.raises(SourceError, match="not a video"):
        VideoSource(broken).open()


def test_camera_source_mirrors_and_converts(video_file):
    capture = cv2.VideoCapture(str(video_file))
    ok, bgr = capture.read()
    capture.release()
    assert ok
    mirrored = CameraSource(str(video_file))
    mirrored.open()
    np.testing.assert_array_equal(mirrored.read(), bgr[:, ::-1, ::-1])
    mirrored.close()
    plain = CameraSource(str(video_file), mirror=False)
    plain.open()
    np.testing.assert_array_equal(plain.read(), bgr[:, :, ::-1])
    plain.close()
    plain.close()  # closing twice is harmless


def test_missing_camera_raises(tmp_path):
    with pytest.raises(SourceError, match="not available"):
        CameraSource(str(tmp_path / "no-camera.avi")).open()


def test_camera_at_end_of_stream_returns_none(tmp_path):
    path = tmp_path / "short.avi"
    write_video(path, frames=3)
    camera = CameraSource(str(path))
    camera.open()
    assert [camera.read() is not None for _ in range(4)] == [True, True, True, False]
    camera.close()
