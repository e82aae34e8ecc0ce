"""`python -m bench.load`: a short run against its own two-worker server answers every kind of request without
an error, and it starts its users only once both workers listen (before that, the first worker ready took
every keep-alive connection and the other worker idled for the whole run)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from servers import REPO, clean_env


def listening_sockets(port: int) -> int:
    """The load check's own count, run where `bench` imports (the repository root)."""
    code = f"from bench.load.ports import listening_sockets; print(listening_sockets({port}))"
    found = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return int(found.stdout)


pytestmark = pytest.mark.server

RUN_DEADLINE_S = 240


def test_listening_sockets_counts_each_socket_sharing_a_port() -> None:
    first = socket.socket()
    second = socket.socket()
    try:
        for sock in (first, second):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        first.bind(("127.0.0.1", 0))
        port = first.getsockname()[1]
        second.bind(("127.0.0.1", port))
        first.listen()
        assert listening_sockets(port) == 1, "a bound socket that does not listen yet is not counted"
        second.listen()
        assert listening_sockets(port) == 2
    finally:
        first.close()
        second.close()
    assert listening_sockets(port) == 0


def test_a_short_load_run_reports_every_endpoint_without_errors(indexed_store: Path) -> None:
    command = [sys.executable, "-m", "bench.load", "--data-dir", str(indexed_store), "--users", "4"]
    run = subprocess.run(
        [*command, "--duration", "4"],
        env=clean_env(PLEDGES_API_WORKERS="2"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=RUN_DEADLINE_S,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "(2 workers)" in run.stderr, "the users start once both workers listen"
    rows = {line.split()[0]: line.split() for line in run.stdout.splitlines() if line.startswith("/")}
    assert {"/search", "/facets"} <= set(rows), run.stdout
    assert rows["/facets"][-1] == "0", "no request failed"
    totals = [line.split() for line in run.stdout.splitlines() if line.startswith("all reads")]
    assert totals and int(totals[0][2]) > 0 and totals[0][-1] == "0", run.stdout
