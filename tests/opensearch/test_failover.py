"""A three-node cluster loses a data node while ten clients search through the API: no search fails, every
record stays visible, /ready says yellow and keeps answering. Once with SIGTERM (a node shut down), once with
SIGKILL (a node that dies).

The cluster: two data nodes (512 MB heap each) that hold the shards, and a manager-only tie-breaker (256 MB):
of two manager-eligible nodes, the one left after losing the elected manager cannot elect itself alone. The
index has 2 shards and 1 replica, so each data node holds a whole copy. The lost node is the data node that is
the elected cluster manager when there is one (the harder case: an election follows), else the first.

The corpus is the evaluation corpus (the shared data's three files, 478 records), indexed through the service's
pipeline with precomputed random vectors (unit, 384 dimensions, seeded by each text's hash, stored under the
default model's name so that the API accepts the index): what is measured is availability, not relevance, and
embedding 478 texts would add a minute to `make test`. `pledges serve` embeds its queries with the real model and
reads the index with PLEDGES_OPENSEARCH_URL naming both data nodes. Figures (searches answered and failed, p95
per phase) are printed and written to artifacts/failover-<signal>.json; they are reports, not asserts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import pytest
from local_nodes import Node, health, port, send, start, stop, wait_gone, wait_health
from servers import Server, start_api
from servers import stop as stop_server

pytestmark = [pytest.mark.opensearch, pytest.mark.slow]

CLIENTS = 10
PHASE_S = 8.0  # searching before the loss, and again after the cluster settled
MAX_SEARCHES = 1000  # per client and run: the other bound
SETTLE_DEADLINE_S = 120.0
HANG_GUARD_S = 60.0  # a search that has not answered by then counts as failed (the server's timeout is 10 s)
DATA_FILES = ("pledges.jsonl", "practices.jsonl", "synthetic_pledges.jsonl")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CLUSTER = f"pledges-ha-{port(0)}"
DATA_A = Node(f"ha{port(0)}-a", port(0), CLUSTER)
DATA_B = Node(f"ha{port(0)}-b", port(1), CLUSTER)
TIE_BREAKER = Node(f"ha{port(0)}-m", port(2), CLUSTER, roles="cluster_manager", heap="256m")
NODES = (DATA_A, DATA_B, TIE_BREAKER)
ALIAS = "pledges-failover"


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[Node, ...]]:
    """The three nodes, started fresh and stopped at the end whatever happens."""
    if not os.environ.get("OPENSEARCH_URL"):
        pytest.skip(
            "OPENSEARCH_URL is not set: the OpenSearch suites run under `make test` (this test starts "
            "its own nodes from the same install)"
        )
    try:
        for node in NODES:
            start(node, list(NODES))
        wait_health(DATA_A.url, "green", nodes=3)
        yield NODES
    finally:
        for node in NODES:
            stop(node)


class RandomVectors:
    """Unit vectors seeded by each text's hash, in place of the model for the records (see the module's doc)."""

    model_name = "all-MiniLM-L6-v2"  # the API's default: it accepts an index built "by" this model
    dimension = 384

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        rows = [
            np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:15], 16)).normal(size=384) for t in texts
        ]
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dimension)
        return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_documents([text])[0]


@pytest.fixture(scope="module")
def corpus(cluster, shared_dir: Path, tmp_path_factory) -> tuple[Path, set[str]]:
    """The evaluation corpus in a 2-shard, 1-replica index behind ALIAS; (data folder, every id)."""
    from models.settings import Settings
    from search_api.backends.opensearch import OpenSearchBackend
    from search_api.service import SearchService

    data_dir = tmp_path_factory.mktemp("failover-data")
    urls = f"{DATA_A.url},{DATA_B.url}"
    vectors = RandomVectors()
    backend = OpenSearchBackend(urls, ALIAS, vectors.dimension, vectors.model_name, shards=2, replicas=1)
    service = SearchService(Settings(data_dir=data_dir), backend=backend, embedder=vectors)
    try:
        report = service.index_paths([shared_dir / "data" / name for name in DATA_FILES])
        ids = {p.id for p in backend.iter_matches(_blank(), None)}
    finally:
        service.close()
    assert report.indexed + report.unchanged == len(ids) > 400, report
    wait_health(DATA_A.url, "green", nodes=3, index=ALIAS)  # both copies of both shards in place
    return data_dir, ids


@pytest.fixture(scope="module")
def api(corpus, tmp_path_factory) -> Iterator[Server]:
    data_dir, _ = corpus
    server = start_api(
        data_dir,
        tmp_path_factory.mktemp("failover-api") / "server.log",
        PLEDGES_BACKEND="opensearch",
        PLEDGES_OPENSEARCH_URL=f"{DATA_A.url},{DATA_B.url}",
        PLEDGES_OPENSEARCH_INDEX=ALIAS,
    )
    yield server
    stop_server(server)


def _blank():
    from models.schemas import SearchRequest

    return SearchRequest(q="")


def queries(shared_dir: Path) -> list[dict[str, str]]:
    """The dev queries in every mode, some with a filter, and blank browsing: the requests clients send."""
    texts = [
        json.loads(line)["text"]
        for line in (shared_dir / "eval" / "dev_queries.jsonl").read_text().splitlines()
        if line.strip()
    ]
    out: list[dict[str, str]] = [{"q": "", "size": "10"}]
    for i, text in enumerate(texts):
        mode = ("hybrid", "keyword", "semantic")[i % 3]
        out.append({"q": text, "mode": mode})
        if i % 4 == 0:
            out.append({"q": text, "mode": "hybrid", "region": "Americas"})
    return out


@dataclass
class Sample:
    started: float
    seconds: float
    status: int  # 0: no answer (transport error or hang guard)
    request: int
    total: int | None
    error: str = ""


class Clients:
    """CLIENTS threads searching the API in turn through `requests` until stopped or MAX_SEARCHES each."""

    def __init__(self, url: str, requests: list[dict[str, str]]) -> None:
        self.url, self.requests = url, requests
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(CLIENTS)]

    def _run(self, offset: int) -> None:
        with httpx.Client(base_url=self.url, timeout=HANG_GUARD_S) as http:
            for n in range(MAX_SEARCHES):
                if self._stop.is_set():
                    return
                index = (offset * 7 + n) % len(self.requests)
                started = time.monotonic()
                try:
                    answer = http.get("/search", params=self.requests[index])
                    status, body = answer.status_code, answer.json()
                except (httpx.HTTPError, ValueError) as exc:
                    status, body = 0, {"error": {"message": f"{type(exc).__name__}: {exc}"}}
                sample = Sample(
                    started,
                    time.monotonic() - started,
                    status,
                    index,
                    body.get("total"),
                    "" if status == 200 else str(body.get("error", {}).get("message", body))[:300],
                )
                with self._lock:
                    self.samples.append(sample)

    def __enter__(self) -> Clients:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=HANG_GUARD_S + 5)

    def count(self) -> int:
        with self._lock:
            return len(self.samples)


def phase(samples: list[Sample], start_s: float, end_s: float) -> dict[str, float | int]:
    chosen = [s for s in samples if start_s <= s.started < end_s]
    latencies = [s.seconds * 1000 for s in chosen if s.status == 200]
    return {
        "answered": len(latencies),
        "failed": sum(1 for s in chosen if s.status != 200),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1) if latencies else 0.0,
        "p95_ms": round(float(np.percentile(latencies, 95)), 1) if latencies else 0.0,
    }


def victim() -> Node:
    """The data node that is the elected cluster manager, else the first data node."""
    state = httpx.get(f"{TIE_BREAKER.url}/_cat/cluster_manager", params={"format": "json"}, timeout=10).json()
    elected = state[0]["node"] if state else ""
    return next((n for n in (DATA_A, DATA_B) if n.name == elected), DATA_A)


def visible(url: str) -> tuple[int, set[str]]:
    """(the total of a blank search, the ids of the blank search's CSV export), through the API."""
    total = httpx.get(f"{url}/search", params={"q": "", "size": "1"}, timeout=HANG_GUARD_S).json()["total"]
    export = httpx.get(f"{url}/export", params={"q": ""}, timeout=HANG_GUARD_S)
    assert export.status_code == 200, export.text
    rows = list(csv.reader(io.StringIO(export.text)))
    return total, {row[0] for row in rows[1:]}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_losing_a_data_node_fails_no_search_and_hides_no_record(cluster, corpus, api, shared_dir, sig):
    _, ids = corpus
    for node in (DATA_A, DATA_B):  # the node the previous run lost comes back first
        if node.pid() is None:
            start(node, list(NODES), fresh=False)
    wait_health(TIE_BREAKER.url, "green", nodes=3, index=ALIAS)
    requests = queries(shared_dir)
    with httpx.Client(base_url=api.url, timeout=HANG_GUARD_S) as http:  # each request's total while whole
        expected = [http.get("/search", params=r).json()["total"] for r in requests]
    lost = victim()
    survivor = DATA_B if lost is DATA_A else DATA_A
    was_manager = (
        lost.name
        == httpx.get(f"{TIE_BREAKER.url}/_cat/cluster_manager", params={"format": "json"}, timeout=10).json()[0]["node"]
    )
    ready_during: list[dict] = []
    with Clients(api.url, requests) as clients:
        began = time.monotonic()
        _wait_for(lambda: time.monotonic() - began >= PHASE_S and clients.count() >= CLIENTS, "searches before")
        lost_at = time.monotonic()
        send(lost, sig)
        wait_gone(lost)
        gone_at = time.monotonic()

        def settled() -> bool:
            found = health(survivor.url, ALIAS, within=5.0)
            return bool(
                found
                and found["number_of_nodes"] == 2
                and found["status"] == "yellow"
                and found["active_primary_shards"] == 2
            )

        _wait_for(settled, "the cluster to settle on yellow with 2 nodes", SETTLE_DEADLINE_S)
        settled_at = time.monotonic()
        ready = httpx.get(f"{api.url}/ready", timeout=HANG_GUARD_S)
        ready_during.append({**ready.json(), "http": ready.status_code})
        total, exported = visible(api.url)
        after_at = max(settled_at, lost_at + PHASE_S)  # "during": the loss and its first PHASE_S seconds at least
        _wait_for(lambda: time.monotonic() - after_at >= PHASE_S, "searches after")
        ended = time.monotonic()
    samples = list(clients.samples)
    report = {
        "signal": sig.name,
        "lost": lost.name,
        "lost_was_elected_manager": was_manager,
        "clients": CLIENTS,
        "records": len(ids),
        "node_gone_s": round(gone_at - lost_at, 2),
        "settled_s": round(settled_at - lost_at, 2),
        "before": phase(samples, 0, lost_at),
        "during": phase(samples, lost_at, after_at),
        "after": phase(samples, after_at, ended + HANG_GUARD_S),
        "errors": sorted({s.error for s in samples if s.status != 200})[:5],
        "ready_after_loss": ready_during[0],
        "visible_total": total,
        "visible_exported": len(exported),
    }
    _publish(report)
    failures = [s for s in samples if s.status != 200]
    assert not failures, [(s.status, s.error) for s in failures[:5]]
    wrong = [
        (requests[s.request], s.total, expected[s.request])
        for s in samples
        if requests[s.request].get("mode", "keyword") == "keyword" and s.total != expected[s.request]
    ]
    assert not wrong, wrong[:5]  # keyword and blank totals are exact: no answer from part of the index
    assert ready_during[0]["http"] == 200 and ready_during[0]["health"] == "yellow", ready_during
    assert ready_during[0]["count"] == len(ids)
    assert total == len(ids) and exported == ids


def _wait_for(condition, what: str, deadline_s: float = 120.0) -> None:
    deadline = time.monotonic() + deadline_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what} ({deadline_s:.0f} s)"
        time.sleep(0.2)


def _publish(report: dict) -> None:
    """Print the figures and keep them in artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"failover-{report['signal']}.json").write_text(json.dumps(report, indent=2))
    rows = [
        f"{name:<7} answered {report[name]['answered']:>5}  failed {report[name]['failed']:>3}  "
        f"p50 {report[name]['p50_ms']:>8.1f} ms  p95 {report[name]['p95_ms']:>8.1f} ms"
        for name in ("before", "during", "after")
    ]
    print(
        f"\nfailover, {report['signal']} to {report['lost']} (elected manager: {report['lost_was_elected_manager']}),"
        f" {report['clients']} clients, {report['records']} records; node gone after {report['node_gone_s']} s, "
        f"cluster yellow on 2 nodes after {report['settled_s']} s\n"
        + "\n".join(rows)
        + f"\n/ready after the loss: {report['ready_after_loss']}; visible: total {report['visible_total']}, "
        f"exported {report['visible_exported']}" + "".join(f"\nerror: {e}" for e in report["errors"])
    )
