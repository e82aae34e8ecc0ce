"""Local OpenSearch nodes that a test starts, signals and stops itself (scripts/opensearch.sh, no Docker), for
what the shared node OPENSEARCH_URL names must not go through: losing a node of a cluster, an engine that stops
or hangs under a running API.

Ports: HTTP from OPENSEARCH_SPARE_PORT (default 9280) up, transport 10 above each (9290 ...), apart from the
shared test node (9260) and `make opensearch` (9250). Node folders live under OPENSEARCH_DIR (default
.opensearch/, as the script's), each named after its port so that two checkouts sharing one install do not mix.

Imported as `local_nodes` (tests/opensearch is on sys.path, like opensearch_fakes).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "opensearch.sh"
PORT_BASE = int(os.environ.get("OPENSEARCH_SPARE_PORT", "9280"))
TRANSPORT_OFFSET = 10
START_DEADLINE_S = 240.0
STOP_DEADLINE_S = 60.0


def port(offset: int) -> int:
    """The HTTP port `offset` above the base (transport: TRANSPORT_OFFSET above that)."""
    return PORT_BASE + offset


@dataclass(frozen=True)
class Node:
    """One local node: its name, HTTP port and the settings it starts with."""

    name: str
    port: int
    cluster: str
    roles: str | None = None
    heap: str = "512m"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def transport(self) -> str:
        return f"127.0.0.1:{self.port + TRANSPORT_OFFSET}"

    @property
    def folder(self) -> Path:
        base = Path(os.environ.get("OPENSEARCH_DIR", REPO / ".opensearch"))
        return (base if base.is_absolute() else REPO / base) / "nodes" / self.name

    def pid(self) -> int | None:
        """The JVM's pid while it runs (a zombie counts as gone)."""
        try:
            pid = int((self.folder / "pid").read_text().strip())
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, ValueError, IndexError):
            return None
        return None if state in ("Z", "X") else pid


def script(*args: str, timeout: float = START_DEADLINE_S) -> str:
    """scripts/opensearch.sh with these arguments; fails the test with its output when it fails."""
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO)
    if done.returncode != 0:
        pytest.fail(f"scripts/opensearch.sh {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def start(node: Node, cluster: list[Node] | None = None, fresh: bool = True) -> None:
    """Start `node` in the background: alone (single-node discovery), or as one of `cluster`."""
    args = [
        "start",
        "--name",
        node.name,
        "--cluster",
        node.cluster,
        "--port",
        str(node.port),
        "--transport-port",
        str(node.port + TRANSPORT_OFFSET),
        "--heap",
        node.heap,
    ]
    if cluster:
        args += [
            "--seed-hosts",
            ",".join(n.transport for n in cluster),
            "--initial-managers",
            ",".join(n.name for n in cluster),
        ]
    if node.roles:
        args += ["--roles", node.roles]
    if fresh:
        args.append("--fresh")
    script(*args)


def stop(node: Node) -> None:
    """SIGTERM, then SIGKILL after the script's grace period; waits until the node is gone."""
    script("stop", "--name", node.name, timeout=STOP_DEADLINE_S + 30)


def send(node: Node, sig: signal.Signals) -> int:
    """Send a signal to the node's JVM; returns its pid."""
    pid = node.pid()
    assert pid is not None, f"node {node.name} is not running"
    os.kill(pid, sig)
    return pid


def wait_gone(node: Node, deadline_s: float = STOP_DEADLINE_S) -> None:
    """Until the node's process has exited."""
    deadline = time.monotonic() + deadline_s
    while node.pid() is not None:
        assert time.monotonic() < deadline, f"node {node.name} still runs {deadline_s:.0f} s after the signal"
        time.sleep(0.1)


def health(url: str, index: str = "", within: float = 5.0, **params: str) -> dict[str, Any] | None:
    """GET _cluster/health (of one index, when given) with these parameters, or None when nothing answers."""
    try:
        answer = httpx.get(f"{url}/_cluster/health/{index}", params=params, timeout=within)
    except httpx.TransportError:
        return None
    return answer.json() if answer.status_code in (200, 408) else None


def wait_health(
    url: str, status: str = "green", nodes: int = 1, index: str = "", deadline_s: float = START_DEADLINE_S
) -> dict[str, Any]:
    """Until the cluster behind `url` (or one index of it) is at least `status` with exactly `nodes` nodes."""
    deadline = time.monotonic() + deadline_s
    while True:
        found = health(url, index, wait_for_status=status, wait_for_nodes=str(nodes), timeout="2s")
        if found and not found.get("timed_out") and found.get("number_of_nodes") == nodes:
            return found
        assert time.monotonic() < deadline, f"{url} not {status} with {nodes} nodes in {deadline_s:.0f} s: {found}"
        time.sleep(0.5)
