"""`tracker serve`: which hosts it refuses, a port in use, and a real server's page."""

from __future__ import annotations

import errno
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tracker_tui.cli import serve_commands

START_SECONDS = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_only_loopback_hosts_are_loopback(host: str, loopback: bool) -> None:
    assert serve_commands.is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::"])
def test_a_host_others_can_reach_needs_public(run_cli: RunCli, host: str) -> None:
    result = run_cli("serve", "--host", host)
    assert result.code == 2
    assert result.err == (
        f"tracker: --host {host} serves tracker to your network with no login: "
        "add --public if you mean it\n"
    )


@pytest.mark.parametrize("port", ["0", "65536", "http", "٨٠٠٠", "-1"])
def test_a_bad_port_is_a_usage_error(run_cli: RunCli, port: str) -> None:
    result = run_cli("serve", "--port", port)
    assert result.code == 2
    assert "--port" in result.err
    assert "Traceback" not in result.err


def test_a_port_in_use_is_said_plainly(run_cli: RunCli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.code == 1
    assert result.err == f"tracker: port {port} is in use: pick another with --port\n"
    assert result.out == ""


def test_each_tab_runs_this_python_and_package(tmp_path: Path) -> None:
    spaced = tmp_path / "my progress.json"
    assert serve_commands.app_command(None).endswith(f"exec {sys.executable} -m tracker_tui")
    command = serve_commands.app_command(spaced)
    assert f"exec {sys.executable} -m tracker_tui --progress-file " in command
    assert command.endswith(f"'{spaced.resolve()}'")


def test_a_server_that_cannot_bind_after_the_check_says_so(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_server = pytest.importorskip("tracker_tui.cli.web_server")

    def lose_the_race(self: object) -> None:
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(web_server.TrackerServer, "serve", lose_the_race)
    result = run_cli("serve", "--port", str(free_port()))
    assert result.code == 1
    assert result.err.endswith("is in use: pick another with --port\n")


def test_public_warns_and_says_where_to_open(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    web_server = pytest.importorskip("tracker_tui.cli.web_server")
    monkeypatch.setattr(web_server.TrackerServer, "serve", lambda self: None)
    port = free_port()
    result = run_cli("serve", "--host", "0.0.0.0", "--public", "--port", str(port))
    assert result.code == 0
    assert "tracker: warning: serving on 0.0.0.0 with no login" in result.err
    loopback = run_cli("serve", "--port", str(port))
    assert loopback.code == 0
    assert loopback.err == "tracker: stopped\n"  # no warning on loopback


@pytest.fixture
def served(tracker_home: Path) -> Iterator[int]:
    """A real `tracker serve` on a free port, stopped as ctrl+c would."""
    pytest.importorskip("textual_serve")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tracker_tui", "serve", "--port", str(port)],
        env={**os.environ, "TRACKER_HOME": str(tracker_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not answers(port):
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "tracker serve did not answer"
            time.sleep(0.05)
        yield port
    finally:
        server.send_signal(2)  # SIGINT, as ctrl+c
        out, err = server.communicate(timeout=10)
    assert server.returncode == 0, err
    assert f"http://127.0.0.1:{port}" in out
    assert "ctrl+c stops" in out
    assert "Traceback" not in out + err


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


WEBSOCKET = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def test_the_server_serves_the_page_and_refuses_other_sites(served: int) -> None:
    status, page = get(served, "/", {})
    assert status == 200
    assert f'data-session-websocket-url="ws://127.0.0.1:{served}/ws"' in page
    # Everything the page loads comes from this server: it works offline.
    assert "googleapis" not in page
    font = "/static/fonts/RobotoMono-VariableFont_wght.ttf"
    assert f"http://127.0.0.1:{served}{font}" in page
    assert get(served, font, {})[0] == 200
    # Another site's page may not drive the app, nor a name rebound to 127.0.0.1.
    foreign = {**WEBSOCKET, "Origin": "http://evil.example"}
    assert get(served, "/ws", foreign)[0] == 403
    assert get(served, "/", {"Host": f"evil.example:{served}"})[0] == 403
