"""`pledges serve` with two worker processes over one embedded store: connections are spread over both
workers, a record uploaded through one worker is read by every worker, killing the supervisor outright (no
chance to stop its workers) stops them too, and a port another program holds is refused with the reason."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from servers import CLI, REPO, START_DEADLINE_S, clean_env, start_api, stop

pytestmark = pytest.mark.server

API_KEY = "test-key-not-secret"
EXIT_DEADLINE_S = 30.0


def worker_pids(supervisor: int) -> list[int]:
    """The supervisor's worker processes (multiprocessing's spawned children, not its resource tracker)."""
    found = []
    for task in Path(f"/proc/{supervisor}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"spawn_main" in cmdline:
                found.append(int(child))
    return found


ESTABLISHED, LISTEN = "01", "0A"  # TCP states as /proc/net/tcp writes them


def connections_held(pid: int, port: int, state: str = ESTABLISHED) -> int:
    """TCP sockets on local `port` in `state` that this process holds."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_two_workers_read_one_store_and_stop_with_their_supervisor(tmp_path: Path, indexed_store: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(indexed_store, store)
    server = start_api(store, tmp_path / "server.log", PLEDGES_API_KEY=API_KEY, PLEDGES_API_WORKERS="2")
    workers = worker_pids(server.process.pid)
    try:
        assert "2 workers" in server.log()
        assert len(workers) == 2, f"two worker processes under the supervisor, found {workers}"
        port = int(server.url.rsplit(":", 1)[1])

        deadline = time.monotonic() + START_DEADLINE_S  # /ready answered from the first worker to start
        while not all(connections_held(pid, port, LISTEN) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert all(connections_held(pid, port, LISTEN) for pid in workers), "each worker listens once started"

        # 40 connections opened at once, as a crowd of users does: with one socket shared by the workers, the
        # first worker to wake accepted them all
        burst = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(40)]
        try:
            for sock in burst:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert all(sock.recv(64).startswith(b"HTTP/1.1 200") for sock in burst)
            held = [connections_held(pid, port) for pid in workers]
        finally:
            for sock in burst:
                sock.close()
        assert sum(held) == 40 and min(held) >= 8, f"connections per worker: {held}"

        record = {
            "id": "syn-workers-1",
            "synthetic": True,
            "title": "Floating harbour library for seafarers",
            "description": "A library boat lends books in many languages to migrant seafarers in port.",
            "entity_name": "Workers Test Org",
            "entity_type": "Civil society",
            "countries": ["Portugal"],
            "objectives": [16],
            "language": "en",
        }
        with httpx.Client(base_url=server.url, timeout=60) as client:
            upload = json.dumps(record).encode()
            report = client.post("/index", headers={"X-API-Key": API_KEY}, files={"file": ("up.jsonl", upload)})
        assert report.status_code == 200, report.text
        assert report.json()["indexed"] == 1

        # a fresh connection per request: the workers take turns accepting, so both answer some of these
        for _ in range(16):
            found = httpx.get(f"{server.url}/pledges/syn-workers-1", timeout=60)
            assert found.status_code == 200, "every worker reads the record another worker indexed"
            params = {"q": "floating harbour library", "mode": "keyword"}
            hits = httpx.get(f"{server.url}/search", params=params, timeout=60).json()["hits"]
            assert hits[0]["id"] == "syn-workers-1"

        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
        deadline = time.monotonic() + EXIT_DEADLINE_S
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in workers), "the workers stop when their supervisor is killed"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # nothing holds the port any more
    finally:
        if server.process.poll() is None:
            stop(server)
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_port_another_program_holds_is_refused_with_the_reason(tmp_path: Path, indexed_store: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = clean_env(PLEDGES_DATA_DIR=str(indexed_store), PLEDGES_API_WORKERS="2")
        args = ["serve", "--host", "127.0.0.1", "--port", str(port)]
        done = subprocess.run(CLI + args, env=env, capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "in use" in done.stderr


def test_a_worker_that_dies_is_started_again(tmp_path: Path, indexed_store: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(indexed_store, store)
    server = start_api(store, tmp_path / "server.log", PLEDGES_API_WORKERS="2", _PLEDGES_CRASH_WINDOW_S="0")
    workers = worker_pids(server.process.pid)
    try:
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + EXIT_DEADLINE_S
        while time.monotonic() < deadline:
            now = worker_pids(server.process.pid)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.2)
        assert len(now) == 2 and workers[0] not in now and workers[1] in now, f"{workers} -> {now}"
        assert "worker 0 exited with -9: starting it again" in server.log()
        assert server.process.poll() is None
    finally:
        stop(server)
    assert server.process.returncode == 0
    assert not any(alive(pid) for pid in {*workers, *now}), "stopping the server stops every worker"
