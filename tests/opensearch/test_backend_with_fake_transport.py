"""OpenSearchBackend's request flow through the real opensearch-py client, with a fake transport.

The HTTP connection is replaced by a recording fake (hence `fake_transport` in every test name), so each
test sees exactly what is sent and chooses the answer. Everything above it is real: the client builds
URLs, query parameters, JSON and NDJSON bodies; the backend plans requests and reads the answers. The tests
check what is sent and what a user gets back from canned answers shaped as the OpenSearch docs show them.
What they cannot check is OpenSearch's own behaviour (analysis, BM25, k-NN recall, the search flow the core
builds from the engine's primitives): the contract suite and test_live_node.py do, against the node
OPENSEARCH_URL names (`make test` starts one).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

if not os.environ.get("OPENSEARCH_URL"):  # with a server named, a missing client is an error, not a skip
    pytest.importorskip("opensearchpy", reason="the OpenSearch extra is not installed")

from opensearch_fakes import NEIGHBOUR, RECORD, existing_index, fake_client  # noqa: E402

from models.schemas import SearchRequest  # noqa: E402
from search_api.backends.base import StoredRecord, StoreMismatch  # noqa: E402
from search_api.backends.opensearch import OpenSearchBackend  # noqa: E402
from search_api.backends.opensearch.mappings import index_meta  # noqa: E402


def test_first_start_creates_the_index_with_its_alias_fake_transport():
    def handler(method, path, params, body):
        if path == "/pledges/_mapping":
            return 404, {"error": {"type": "index_not_found_exception"}, "status": 404}
        if method == "PUT" and path == "/pledges-1":
            return 200, {"acknowledged": True, "index": "pledges-1"}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://opensearch.invalid:9200", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    assert backend.exists
    method, path, _, body = log[-1]
    assert body["aliases"] == {"pledges": {}}
    assert body["settings"]["index"]["knn"] is True
    assert body["mappings"]["_meta"]["embedding_model"] == "all-MiniLM-L6-v2"
    assert body["mappings"]["properties"]["vector"]["dimension"] == 3


def test_an_index_built_by_another_model_is_refused_fake_transport():
    client, _ = fake_client(
        lambda m, p, q, b: (
            200,
            {"pledges-1": {"mappings": {"_meta": index_meta(768, "paraphrase-multilingual-mpnet-base-v2")}}},
        )
    )
    with pytest.raises(StoreMismatch, match="768-dimensional"):
        OpenSearchBackend("http://x", "pledges", 384, "all-MiniLM-L6-v2", client=client)


def test_upsert_is_one_bulk_then_one_refresh_and_hashes_come_from_mget_fake_transport():
    def handler(method, path, params, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if path == "/_bulk":
            items = [{"index": {"_id": line["index"]["_id"], "status": 201}} for line in body[::2]]
            return 200, {"took": 3, "errors": False, "items": items}
        if path == "/pledges/_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if path == "/pledges/_mget":
            return 200, {
                "docs": [
                    {"_id": "fx-01", "found": True, "_source": {"content_hash": "h1"}},
                    {"_id": "nope", "found": False},
                ]
            }
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    backend.upsert(
        [
            StoredRecord(RECORD, np.array([0.6, 0.0, 0.8], dtype=np.float32), "h1"),
            StoredRecord(NEIGHBOUR, np.array([0.0, 1.0, 0.0], dtype=np.float32), "h2"),
        ]
    )
    bulk = [entry for entry in log if entry[1] == "/_bulk"]
    assert len(bulk) == 1 and bulk[0][2].get("refresh") == "false"
    lines = bulk[0][3]
    assert lines[0] == {"index": {"_index": "pledges", "_id": "fx-01"}}
    assert lines[1]["vector"] == pytest.approx([0.6, 0.0, 0.8]) and lines[1]["content_hash"] == "h1"
    assert lines[3]["sort_title"] == "orientacion a poblacion venezolana en cucuta"
    assert [entry[1] for entry in log].count("/pledges/_refresh") == 1
    assert backend.content_hashes(["fx-01", "nope"]) == {"fx-01": "h1"}
    mget = log[-1]
    assert mget[3] == {"ids": ["fx-01", "nope"]} and mget[2]["_source_includes"] == "content_hash"
    with pytest.raises(StoreMismatch):
        backend.upsert([StoredRecord(RECORD, np.zeros(5, dtype=np.float32), "h")])


def test_an_index_the_indexer_creates_later_is_picked_up_fake_transport():
    state = {"exists": False}

    def handler(method, path, params, body):
        if path == "/pledges/_mapping":
            return (
                existing_index(method, path, params, body)
                if state["exists"]
                else (404, {"error": {"type": "index_not_found_exception"}, "status": 404})
            )
        if path == "/pledges/_count":
            return 200, {"count": 24}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", None, "all-MiniLM-L6-v2", client=client)  # as the API
    assert backend.count() == 0 and backend.search(SearchRequest(q="x"), None).total == 0
    assert all(method == "GET" for method, *_ in log)  # nothing created without a dimension
    state["exists"] = True
    assert backend.count() == 24 and backend.dimension == 3


def test_a_server_not_up_yet_fails_calls_not_construction_fake_transport():
    from opensearchpy import ConnectionError as ClientConnectionError

    from search_api.backends.base import BackendError

    def handler(method, path, params, body):
        raise ClientConnectionError("N/A", "connection refused", None)

    client, _ = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    with pytest.raises(BackendError, match="unreachable"):
        backend.count()


def test_delete_counts_what_existed_fake_transport():
    def handler(method, path, params, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if path == "/_bulk":
            return 200, {
                "errors": True,
                "items": [
                    {"delete": {"_id": "fx-01", "status": 200, "result": "deleted"}},
                    {"delete": {"_id": "nope", "status": 404, "result": "not_found"}},
                ],
            }
        if path == "/pledges/_refresh":
            return 200, {}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    assert backend.delete(["fx-01", "nope", "fx-01"]) == 1
    assert log[-2][3] == [
        {"delete": {"_index": "pledges", "_id": "fx-01"}},
        {"delete": {"_index": "pledges", "_id": "nope"}},
    ]
    assert log[-1][1] == "/pledges/_refresh"


def _partial(reason: str, text: str = "[node-a][127.0.0.1:9300][indices:data/read/search[phase/fetch/id]]") -> dict:
    return {
        "_shards": {
            "total": 2,
            "successful": 1,
            "failed": 1,
            "failures": [{"shard": 1, "index": "pledges-1", "reason": {"type": reason, "reason": text}}],
        },
        "hits": {"total": {"value": 3, "relation": "eq"}, "hits": []},
    }


def test_an_answer_from_part_of_the_index_is_sent_again_when_a_node_left_fake_transport(monkeypatch):
    """A node leaving mid-search makes OpenSearch answer 200 from the shards left (fetch phase): never taken as
    the result; the request goes again, and the cluster answers from the other copy."""
    from search_api.backends.opensearch import reading

    answers = [
        _partial("node_disconnected_exception"),
        {"_shards": {"total": 2, "successful": 2, "failed": 0}, "hits": {"total": {"value": 5}, "hits": []}},
    ]
    client, log = fake_client(lambda m, p, q, b: (200, answers.pop(0)))
    monkeypatch.setattr(reading, "RETRY_PAUSES_S", (0.0, 0.0))
    assert reading.search_once(reading.Index(client, "pledges-1"), {"size": 0})["hits"]["total"]["value"] == 5
    assert [entry[1] for entry in log] == ["/pledges-1/_search"] * 2


def test_an_answer_from_part_of_the_index_for_another_reason_fails_at_once_fake_transport():
    from search_api.backends.base import BackendError
    from search_api.backends.opensearch import reading

    client, log = fake_client(lambda m, p, q, b: (200, _partial("query_shard_exception", "failed to create query")))
    with pytest.raises(BackendError, match="1 of 2 shards") as info:
        reading.search_once(reading.Index(client, "pledges-1"), {"size": 0})
    assert type(info.value) is BackendError and len(log) == 1


def test_a_node_that_stays_gone_fails_the_request_after_two_retries_fake_transport(monkeypatch):
    from search_api.backends.opensearch import reading
    from search_api.backends.opensearch.client import NodeLost

    def handler(method, path, params, body):
        return 500, {
            "error": {
                "type": "search_phase_execution_exception",
                "root_cause": [{"type": "node_disconnected_exception", "reason": "[node-a] disconnected"}],
            },
            "status": 500,
        }

    client, log = fake_client(handler)
    monkeypatch.setattr(reading, "RETRY_PAUSES_S", (0.0, 0.0))
    with pytest.raises(NodeLost, match="node_disconnected_exception"):
        reading.search_once(reading.Index(client, "pledges-1"), {"size": 0})
    assert len(log) == 3


def test_health_and_several_nodes_fake_transport():
    """A comma-separated URL names several nodes (requests go to another when one is refused); health is the
    index's, read with a short timeout so /ready answers quickly."""
    from search_api.backends.opensearch.backend import node_urls

    assert node_urls("http://a:9200, http://b:9200,") == ["http://a:9200", "http://b:9200"]

    def handler(method, path, params, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if path == "/_cluster/health/pledges":
            return 200, {"status": "yellow", "number_of_nodes": 2}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    assert backend.health() == "yellow"
    assert log[-1][2]["timeout"] == "1s"
