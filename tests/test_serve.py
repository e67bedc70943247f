"""`afterrun serve` for real: a subprocess on a free port, asked over HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from afterrun.web.security import NOT_PAIRED

WRITE = {"X-Requested-By": "afterrun"}
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def spawn_server(
    command: list[str], env: dict[str, str], port: int, what: str
) -> tuple[subprocess.Popen[str], str]:
    """Start a server process and wait until its health check answers: (process, base URL).
    A process that exits first, or never answers, fails the test with what it printed."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"{what} exited with {process.returncode}:\n{out}\n{err}")
        try:
            httpx.get(f"{base}/api/health", timeout=2)
            return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"{what} did not answer within {STARTUP_SECONDS} s")


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AFTERRUN_")}
    env.update(
        AFTERRUN_CONFIG_DIR=str(tmp_path / "config"),
        AFTERRUN_DATA_DIR=str(tmp_path / "data"),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def afterrun(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "afterrun", *args],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        timeout=120,
        check=False,
    )


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    db: str

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as in the terminal; the exit status and everything printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


def start(tmp_path: Path, *options: str, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'served.db'}"
    process = subprocess.Popen(
        [sys.executable, "-m", "afterrun", "--db", db, "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or environment(tmp_path),
    )
    server = Server(process, f"http://127.0.0.1:{port}", db)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            code, out, err = server.stop()
            pytest.fail(f"afterrun serve exited with {code}:\n{out}\n{err}")
        try:
            httpx.get(f"{server.base}/api/health", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.process.kill()
    pytest.fail(f"afterrun serve did not answer within {STARTUP_SECONDS} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    server = start(tmp_path)
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.communicate()


def test_serve_answers_pages_and_api_on_this_machine(served: Server, tmp_path: Path) -> None:
    page = httpx.get(f"{served.base}/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>Today · afterrun</title>" in page.text
    assert httpx.get(f"{served.base}/static/app.css").status_code == 200

    started = httpx.post(f"{served.base}/api/sessions", json={"minutes": 5}, headers=WRITE)
    assert started.status_code == 201, started.text
    history = afterrun(tmp_path, "--db", served.db, "history", "--json")
    assert history.returncode == 0, history.stderr
    [session] = json.loads(history.stdout)
    assert session["id"] == started.json()["id"]
    assert session["status"] == "in-progress"
    assert session["minutes"] == 5

    code, out, err = served.stop()
    port = served.base.rsplit(":", 1)[1]
    assert out == (
        f"afterrun is at http://127.0.0.1:{port}/ (this machine only; --lan for your phone).\n"
        "Press Ctrl-C to stop.\n"
    )
    assert code == 0
    assert err == ""


def test_serve_watch_imports_a_run_dropped_into_the_folder(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from activity_files import Leg, fit_file

    inbox = tmp_path / "Garmin"
    inbox.mkdir()
    server = start(tmp_path, "--watch", str(inbox))
    try:
        before = httpx.get(f"{server.base}/api/today/version").json()["version"]
        start_time = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        (inbox / "run.fit").write_bytes(fit_file([Leg(start=start_time)]))
        deadline = time.monotonic() + STARTUP_SECONDS
        while httpx.get(f"{server.base}/api/today/version").json()["version"] == before:
            assert time.monotonic() < deadline, "the run never arrived"
            time.sleep(0.2)
        [run] = httpx.get(f"{server.base}/api/runs").json()
        assert run["distance_m"] == 5400.0
    finally:
        code, out, err = server.stop()
    assert code == 0, err
    assert out.splitlines()[1:] == [
        f"Importing new activity files from {inbox} as they arrive.",
        "Press Ctrl-C to stop.",
        "Imported run.fit: run 1.",
    ]
    assert err == ""


def test_serve_watch_refuses_a_missing_folder(tmp_path: Path) -> None:
    done = afterrun(tmp_path, "serve", "--watch", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--watch': Directory '{tmp_path / 'nowhere'}' does not exist."
    )


def test_serve_refuses_another_host_name(served: Server) -> None:
    response = httpx.get(f"{served.base}/api/health", headers={"Host": "rebind.example"})
    assert response.status_code == 403


def test_ctrl_c_stops_the_server_cleanly(served: Server) -> None:
    code, out, err = served.stop()
    assert out.endswith("Press Ctrl-C to stop.\n")
    assert code == 0
    assert "Traceback" not in err and "Aborted" not in err
    assert err == ""
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{served.base}/api/health", timeout=2)


def test_ctrl_c_while_a_request_is_open_still_stops_cleanly(served: Server) -> None:
    with httpx.Client() as client:  # a kept-alive connection, as a browser leaves open
        assert client.get(f"{served.base}/api/health").status_code == 200
        code, _, err = served.stop()
    assert code == 0
    assert err == ""


def test_serve_lan_prints_a_pairing_link_and_qr_code_and_needs_the_key(tmp_path: Path) -> None:
    server = start(tmp_path, "--lan", "--host", "127.0.0.1")
    try:
        assert httpx.get(f"{server.base}/").status_code == 401
        refused = httpx.get(f"{server.base}/api/health")
        assert refused.status_code == 401
        assert refused.json() == {"error": NOT_PAIRED}
    finally:
        code, out, err = server.stop()
    assert code == 0, err
    link = re.search(r"^  (http://\S+/pair\?key=(\S+))$", out, re.M)
    assert link is not None, out
    url, key = link.groups()
    assert url == f"{server.base}/pair?key={key}", "the link names the address it listens on"
    assert len(key) >= 20
    lines = out.splitlines()
    assert lines[0] == "Open this link on your phone (same Wi-Fi), or scan the code:"
    qr = [line for line in lines if set(line.strip()) and set(line.strip()) <= set("█▀▄ ")]
    assert len(qr) >= 10, out
    assert len({len(line) for line in qr}) == 1, "a square block"
    assert "Anyone with the link can use afterrun with your data: don't share it." in out


def test_serve_lan_answers_with_the_key(tmp_path: Path) -> None:
    secret = "a-fixed-pairing-secret-for-tests"  # noqa: S105 - a test key
    env = environment(tmp_path, AFTERRUN_PAIRING_SECRET=secret)
    server = start(tmp_path, "--lan", "--host", "127.0.0.1", env=env)
    try:
        assert httpx.get(f"{server.base}/").status_code == 401
        wrong = httpx.get(f"{server.base}/", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        bearer = {"Authorization": f"Bearer {secret}"}
        assert httpx.get(f"{server.base}/", headers=bearer).status_code == 200
        with httpx.Client(base_url=server.base) as phone:
            paired = phone.get(f"/pair?key={secret}")
            assert paired.status_code == 303
            assert "HttpOnly" in paired.headers["set-cookie"]
            assert phone.get("/").status_code == 200
            assert phone.get("/api/sessions").json() == []
            started = phone.post("/api/sessions", json={"minutes": 5}, headers=WRITE)
            assert started.status_code == 201
    finally:
        code, out, _ = server.stop()
    assert code == 0
    assert f"  {server.base}/pair?key={secret}\n" in out


def test_a_bad_db_fails_before_serving_with_exit_4(tmp_path: Path) -> None:
    port = free_port()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    result = afterrun(tmp_path, "--db", str(blocker / "afterrun.db"), "serve", "--port", str(port))
    assert result.returncode == 4
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: Cannot create the folder {blocker} for the database: ")
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)


def test_a_postgres_server_that_is_not_there_fails_with_exit_4(tmp_path: Path) -> None:
    port = free_port()
    url = f"postgresql+psycopg://runner:secret@127.0.0.1:{free_port()}/afterrun"
    result = afterrun(tmp_path, "--db", url, "serve", "--port", str(port))
    assert result.returncode == 4
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: Cannot open the database at postgresql+psycopg://runner:***@")
    assert "secret" not in line


def test_a_port_in_use_is_one_line_before_anything_is_printed(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        db = f"sqlite:///{tmp_path / 'x.db'}"
        result = afterrun(tmp_path, "--db", db, "serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: Port {port} on 127.0.0.1 is already in use (another 'afterrun serve'?): "
        "give another with --port.\n"
    )
