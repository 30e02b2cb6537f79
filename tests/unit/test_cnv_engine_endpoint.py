"""``cnv doctor`` and ``cnv draw`` reach the engine the docker CLI would use (its context).

A fake engine (a few API answers on a Unix socket) stands in for Docker Desktop's, so no live
engine is needed.
"""

from __future__ import annotations

import json
import shutil
import socketserver
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from docker_contexts import write_context

from macros import doctor
from macros.runner.connect import find_endpoint
from macros.topology import cli as draw_cli

ANSWERS = {
    "/_ping": "OK",
    "/version": {"Version": "99.1.0-fake", "ApiVersion": "1.45", "MinAPIVersion": "1.24"},
    "/info": {
        "ID": "fake",
        "KernelVersion": "6.1.0-fake",
        "OperatingSystem": "Fake Desktop",
        "FirewallBackend": {"Driver": "nftables"},
        "Swarm": {},
    },
    "/networks": [],
    "/containers/json": [],
}


class FakeEngine(BaseHTTPRequestHandler):
    """Answers the few requests doctor and draw make; remembers which paths were asked for."""

    protocol_version = "HTTP/1.1"
    asked: list[str]

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        for suffix, answer in ANSWERS.items():
            if path.endswith(suffix):
                self.asked.append(suffix)
                body = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                break
        else:
            body = b'{"message": "not faked"}'
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet (and a Unix socket's client has no address to log)."""


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    """A short folder for sockets (a Unix socket's path must fit in 108 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="cnv-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder)


@pytest.fixture
def desktop(tmp_path: Path, socket_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A reader whose current context is ``desktop`` (its socket: the returned path)."""
    config = tmp_path / ".docker"
    config.mkdir()
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    sock = socket_dir / "desktop.sock"
    write_context(config, "desktop", f"unix://{sock}")
    (config / "config.json").write_text(json.dumps({"currentContext": "desktop"}))
    assert find_endpoint().host == f"unix://{sock}"
    return sock


@pytest.fixture
def fake_engine(desktop: Path) -> Iterator[list[str]]:
    """The fake engine listening on the context's socket; yields the paths it was asked for."""
    asked: list[str] = []
    handler = type("Handler", (FakeEngine,), {"asked": asked})
    server = socketserver.ThreadingUnixStreamServer(str(desktop), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield asked
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_doctor_reports_the_engine_of_the_current_context(
    desktop: Path, fake_engine: list[str]
) -> None:
    assert doctor.engine_lines() == [
        f"engine:   Docker Engine 99.1.0-fake at unix://{desktop} (Docker context 'desktop')",
        "firewall: nftables",
        "kernel:   6.1.0-fake (Fake Desktop)",
    ]
    assert "/info" in fake_engine


def test_draw_reads_the_engine_of_the_current_context(
    fake_engine: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert draw_cli.main(["-o", str(tmp_path / "mine.svg")]) == 0
    assert {"/networks", "/containers/json"} <= set(fake_engine)
    assert (tmp_path / "mine.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'mine.svg'}")


def test_doctor_says_in_one_line_that_the_context_has_no_engine(
    desktop: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(doctor, "probe_lines", lambda: ([], None))
    monkeypatch.setattr(doctor, "page_lines", lambda available: [])
    assert doctor.main([]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"engine:   none: no Docker engine at unix://{desktop} (Docker context 'desktop'): "
        "the socket does not exist; is Docker running?"
    ]


def test_draw_says_in_one_line_that_the_context_has_no_engine(
    desktop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert draw_cli.main(["-o", str(tmp_path / "mine.svg")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"error: no Docker engine at unix://{desktop} (Docker context 'desktop'): "
        "the socket does not exist; is Docker running?"
    ]
    assert not (tmp_path / "mine.svg").exists()


def test_a_missing_context_is_one_line_too(
    desktop: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCKER_CONTEXT", "gone")
    assert doctor.engine_lines() == [
        "engine:   none: the Docker context 'gone' does not exist (see `docker context ls`)"
    ]
    assert draw_cli.main([]) == 2
    assert "context 'gone' does not exist" in capsys.readouterr().err
