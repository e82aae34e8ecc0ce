"""The engine goes away under a running `pledges serve` (PLEDGES_BACKEND=opensearch): first it hangs (SIGSTOP:
the node accepts connections and never answers), then it stops (SIGTERM). Each time /ready and every read
endpoint answer 503 with the JSON error, none waits past the server's PLEDGES_OPENSEARCH_TIMEOUT_S (2 s here)
plus a margin, and when the node is back (SIGCONT; started again on the same data) the same server process
answers again, with no restart.

The node is the test's own (local_nodes: OPENSEARCH_SPARE_PORT + 3), not the shared one, which other tests use.
Latencies are printed and written to artifacts/engine-down.json: reports, not asserts; what is asserted is that
every answer came (the client gives up at the timeout plus GUARD_MARGIN_S) and what it said.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from local_nodes import Node, port, send, start, stop, wait_health
from servers import Server, start_api
from servers import stop as stop_server

pytestmark = [pytest.mark.opensearch, pytest.mark.slow]

NODE = Node(f"down{port(3)}", port(3), f"pledges-down-{port(3)}")
ALIAS = "pledges-down"
ENGINE_TIMEOUT_S = 2.0
GUARD_MARGIN_S = 8.0  # the model encodes the query too; a loaded machine is slow
RECOVERY_DEADLINE_S = 180.0
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "api" / "corpus.jsonl"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
READS = (  # what a user's browser asks for: every one must answer 503 while the engine is away
    ("/search", {"q": "legal aid for migrants"}),  # hybrid: the model encodes while the engine fails
    ("/search", {"q": "migrants", "mode": "keyword"}),
    ("/search", {"q": ""}),
    ("/facets", {"objective": "15"}),
    ("/pledges/syn-api-01", {}),
    ("/pledges/syn-api-01/similar", {}),
    ("/export", {"q": "migrants"}),
)


@pytest.fixture(scope="module")
def node() -> Iterator[Node]:
    if not os.environ.get("OPENSEARCH_URL"):
        pytest.skip(
            "OPENSEARCH_URL is not set: the OpenSearch suites run under `make test` (this test starts "
            "its own node from the same install)"
        )
    try:
        start(NODE)
        wait_health(NODE.url, "green")
        yield NODE
    finally:
        if NODE.pid() is not None:
            send(NODE, signal.SIGCONT)  # a failed test may leave it stopped, and SIGTERM waits for SIGCONT
        stop(NODE)


@pytest.fixture(scope="module")
def api(node: Node, embedder, tmp_path_factory) -> Iterator[Server]:
    """The API fixture corpus indexed on the node, and `pledges serve` reading it with a 2 s engine timeout."""
    from models.settings import Settings
    from search_api.service import SearchService

    data_dir = tmp_path_factory.mktemp("down-data")
    settings = Settings(data_dir=data_dir, backend="opensearch", opensearch_url=node.url, opensearch_index=ALIAS)
    service = SearchService(settings, embedder=embedder)
    try:
        assert service.index_paths([CORPUS]).indexed == 24
    finally:
        service.close()
    server = start_api(
        data_dir,
        tmp_path_factory.mktemp("down-api") / "server.log",
        PLEDGES_BACKEND="opensearch",
        PLEDGES_OPENSEARCH_URL=node.url,
        PLEDGES_OPENSEARCH_INDEX=ALIAS,
        PLEDGES_OPENSEARCH_TIMEOUT_S=str(ENGINE_TIMEOUT_S),
    )
    yield server
    stop_server(server)


def answers(http: httpx.Client) -> list[dict]:
    """/ready, then every read, each with its status, error code and seconds."""
    out = []
    for path, params in (("/ready", {}), *READS):
        started = time.monotonic()
        response = http.get(path, params=params)  # a hang past the guard raises ReadTimeout: the test fails
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        out.append(
            {
                "path": path,
                "params": params,
                "status": response.status_code,
                "code": (body.get("error") or {}).get("code"),
                "seconds": round(time.monotonic() - started, 3),
            }
        )
    return out


def assert_all_503(found: list[dict]) -> None:
    wrong = [a for a in found if a["status"] != 503 or a["code"] not in ("engine_unavailable", "unavailable")]
    assert not wrong, wrong


def wait_ready(http: httpx.Client) -> float:
    """Seconds until /ready answers 200 again (polled, within RECOVERY_DEADLINE_S)."""
    started = time.monotonic()
    while True:
        try:
            if http.get("/ready").status_code == 200:
                return round(time.monotonic() - started, 2)
        except httpx.TimeoutException:
            pass
        assert time.monotonic() - started < RECOVERY_DEADLINE_S, "the API did not recover"
        time.sleep(0.2)


def test_engine_hanging_then_stopped_is_503_within_the_timeout_and_the_api_recovers(node, api):
    report: dict[str, object] = {"engine_timeout_s": ENGINE_TIMEOUT_S}
    pid = api.process.pid
    with httpx.Client(base_url=api.url, timeout=ENGINE_TIMEOUT_S + GUARD_MARGIN_S) as http:
        assert http.get("/ready").json()["health"] == "green"
        assert http.get("/search", params={"q": ""}).json()["total"] == 24

        send(node, signal.SIGSTOP)  # hangs: connections are accepted, nothing answers
        try:
            report["hanging"] = answers(http)
        finally:
            send(node, signal.SIGCONT)
        report["recovered_after_hang_s"] = wait_ready(http)
        assert http.get("/search", params={"q": ""}).json()["total"] == 24

        stop(node)  # SIGTERM; returns once the process is gone
        report["stopped"] = answers(http)
        start(node, fresh=False)
        report["recovered_after_restart_s"] = wait_ready(http)
        assert http.get("/search", params={"q": "migrants", "mode": "keyword"}).json()["total"] > 0
        assert http.get("/ready").json()["count"] == 24
    assert api.process.poll() is None and api.process.pid == pid  # the same server, never restarted
    _publish(report)
    assert_all_503(report["hanging"])  # type: ignore[arg-type]
    assert_all_503(report["stopped"])  # type: ignore[arg-type]


def _publish(report: dict) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "engine-down.json").write_text(json.dumps(report, indent=2))
    lines = [f"engine down (PLEDGES_OPENSEARCH_TIMEOUT_S={ENGINE_TIMEOUT_S}):"]
    for state in ("hanging", "stopped"):
        lines.append(
            f"  {state}: "
            + ", ".join(
                f"{a['path']}{'?' + a['params'].get('q', '') if a['params'] else ''}"
                f" {a['status']} in {a['seconds']:.2f} s"
                for a in report[state]
            )
        )
    lines.append(
        f"  /ready 200 again {report['recovered_after_hang_s']} s after SIGCONT, "
        f"{report['recovered_after_restart_s']} s after the node was started again"
    )
    print("\n" + "\n".join(lines))
