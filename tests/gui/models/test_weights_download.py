"""A zoo model's ImageNet weights downloaded from a loopback server: the shared progress bar and
Cancel button follow it, Cancel ends it part-way, and a finished download lands in the Keras cache."""

import hashlib
import http.server
import threading

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from cnnexplorer.core.models import zoo
from cnnexplorer.gui.models.weights_download import WeightsDownload

CHUNK = 1 << 20  # the download reads a MiB at a time


class _Server:
    """Serves ``body`` on 127.0.0.1; with ``hold`` it sends one chunk, then waits for ``release``."""

    def __init__(self, body: bytes, hold: bool = False) -> None:
        self.release = threading.Event()
        release = self.release

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    for start in range(0, len(body), CHUNK):
                        self.wfile.write(body[start:start + CHUNK])
                        self.wfile.flush()
                        if hold:
                            release.wait(10)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="WeightsServer")
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def served(monkeypatch, tmp_path):
    """VGG16's weights entry pointed at a loopback server; returns a function that starts it."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    servers = []

    def serve(body: bytes, hold: bool = False) -> _Server:
        server = _Server(body, hold)
        servers.append(server)
        entry = zoo.ENTRIES["vgg16"]
        monkeypatch.setitem(zoo.ENTRIES, "vgg16", zoo.ZooEntry(
            **{**entry.__dict__, "weights_url": server.url, "weights_md5": hashlib.md5(body).hexdigest()}))
        return server

    yield serve
    for server in servers:
        server.close()


@pytest.fixture
def download(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    weights = WeightsDownload(owner)
    column = QVBoxLayout(owner)
    for widget in weights.widgets:
        column.addWidget(widget)
    owner.show()
    yield weights
    weights.tasks.stop()
    qtbot.waitUntil(lambda: not weights.tasks.running, timeout=10000)


def _record(weights: WeightsDownload) -> dict:
    seen = {"downloaded": [], "messages": [], "ended": 0}
    weights.downloaded.connect(seen["downloaded"].append)
    weights.message.connect(seen["messages"].append)
    weights.ended.connect(lambda: seen.__setitem__("ended", seen["ended"] + 1))
    return seen


def test_a_download_shows_its_bytes_and_lands_in_the_cache(download, served, qtbot):
    body = bytes(range(256)) * (3 * CHUNK // 256 + 100)
    served(body)
    seen = _record(download)
    download.offer_for("vgg16")
    assert download.download_button.isVisibleTo(download.parent())
    download.start("vgg16")
    assert download.task_progress.isVisible() and download.cancel_button.isVisible()
    qtbot.waitUntil(lambda: seen["ended"] == 1, timeout=20000)
    assert seen["downloaded"] == ["vgg16"] and zoo.cached_weights("vgg16").read_bytes() == body
    assert download.progress.value() == download.progress.maximum() == len(body)
    assert download.progress.format() == f"{len(body) / 1e6:.1f} MB"
    assert not download.task_progress.isVisible()
    download.offer_for("vgg16")  # what the explorer does when the download has ended
    assert not download.download_button.isVisibleTo(download.parent())  # cached now: nothing to offer


def test_cancel_ends_a_download_part_way_and_keeps_nothing(download, served, qtbot):
    server = served(b"w" * (8 * CHUNK), hold=True)
    seen = _record(download)
    download.start("vgg16")
    qtbot.waitUntil(lambda: download.progress.value() > 0, timeout=10000)  # the first MiB is in
    download.cancel_button.click()
    server.release.set()
    qtbot.waitUntil(lambda: seen["ended"] == 1, timeout=20000)
    assert seen["downloaded"] == [] and seen["messages"][-1] == "download cancelled"
    assert download.progress.value() < 8 * CHUNK  # stopped before the end
    assert zoo.cached_weights("vgg16") is None and not download.task_progress.isVisible()


def test_a_model_load_spins_the_bar_without_cancel(download):
    download.show_busy(True)
    assert download.task_progress.isVisible() and not download.cancel_button.isVisible()
    assert download.progress.maximum() == 0  # spinning
    download.show_busy(False)
    assert not download.task_progress.isVisible()
