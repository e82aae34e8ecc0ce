"""OpenSearchBackend's request flow through the real opensearch-py client, with a fake transport.

The HTTP connection is replaced by a recording fake (hence `fake_transport` in every test name), so each
test sees exactly what is sent and chooses the answer. Everything above it is real: the client builds
URLs, query parameters, JSON and NDJSON bodies; the backend plans requests and reads the answers. The tests
check what is sent and what a user gets back from canned answers shaped as the OpenSearch docs show them.
What they cannot check is OpenSearch's own behaviour (analysis, BM25, k-NN recall): the contract suite and
test_live_node.py do, against the node OPENSEARCH_URL names (`make test` starts one).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

if not os.environ.get("OPENSEARCH_URL"):  # with a server named, a missing client is an error, not a skip
    pytest.importorskip("opensearchpy", reason="the OpenSearch extra is not installed")

from opensearch_fakes import NEIGHBOUR, RECORD, E, P, existing_index, fake_client, source  # noqa: E402

from models.schemas import Filters, SearchRequest  # noqa: E402
from search_api.backends.base import StoredRecord, StoreMismatch  # noqa: E402
from search_api.backends.opensearch import OpenSearchBackend  # noqa: E402
from search_api.backends.opensearch import queries as Q  # noqa: E402
from search_api.backends.opensearch.mappings import index_meta  # noqa: E402
from search_api.ranking import DEFAULT_RANKING  # noqa: E402


def test_first_start_creates_the_index_with_its_alias_fake_transport():
    def handler(method, path, params, body):
        if path == "/pledges/_mapping":
            return 404, {"error": {"type": "index_not_found_exception"}, "status": 404}
        if method == "PUT" and path == "/pledges-1":
            return 200, {"acknowledged": True, "index": "pledges-1"}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://opensearch.invalid:9200", "pledges", 3, "all-MiniLM-L6-v2",
                                client=client)
    assert backend.exists
    method, path, _, body = log[-1]
    assert body["aliases"] == {"pledges": {}}
    assert body["settings"]["index"]["knn"] is True
    assert body["mappings"]["_meta"]["embedding_model"] == "all-MiniLM-L6-v2"
    assert body["mappings"]["properties"]["vector"]["dimension"] == 3


def test_an_index_built_by_another_model_is_refused_fake_transport():
    client, _ = fake_client(lambda m, p, q, b: (200, {"pledges-1": {"mappings": {
        "_meta": index_meta(768, "paraphrase-multilingual-mpnet-base-v2")}}}))
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
            return 200, {"docs": [{"_id": "fx-01", "found": True, "_source": {"content_hash": "h1"}},
                                  {"_id": "nope", "found": False}]}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    backend.upsert([StoredRecord(RECORD, np.array([0.6, 0.0, 0.8], dtype=np.float32), "h1"),
                    StoredRecord(NEIGHBOUR, np.array([0.0, 1.0, 0.0], dtype=np.float32), "h2")])
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


def test_keyword_search_is_one_request_with_post_filter_facets_and_marks_fake_transport():
    request = SearchRequest(q="centre migrants", mode="keyword", filters=Filters(country=["COL"]))

    def handler(method, path, params, body):
        if answer := existing_index(method, path, params, body):
            return answer
        assert path == "/pledges/_search"
        return 200, {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": [{
            "_id": "fx-01", "_score": 3.2, "_source": source(RECORD), "sort": [3.2, "fx-01"],
            "highlight": {"description.en": [f"A municipal one-stop {P}centre{E} where {P}migrants{E} find "
                                             "services under one roof."],
                          "title.en": [f"{P}Centre{E} for the Local Integration of {P}Migrants{E}"]}}]},
            "aggregations": {"country": {"doc_count": 4, "values": {"buckets": [
                {"key": "COL", "doc_count": 1}, {"key": "ECU", "doc_count": 3}]}}}}

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    response = backend.search(request, None)
    sent = log[-1][3]
    text = Q.text_query(request.q, backend.params.field_boosts)
    assert sent["query"] == text
    assert sent["post_filter"] == {"bool": {"filter": [{"terms": {"countries": ["COL"]}}]}}
    assert sent["aggs"]["country"]["filter"] == {"match_all": {}}
    assert sent["highlight"]["highlight_query"] == text
    assert response.total == 1
    [hit] = response.hits
    assert hit.snippet == ("A municipal one-stop <mark>centre</mark> where <mark>migrants</mark> find "
                           "services under one roof.")
    assert hit.title_highlighted == "<mark>Centre</mark> for the Local Integration of <mark>Migrants</mark>"
    assert hit.scores.keyword == 3.2
    country = next(f for f in response.facets if f.name == "country")
    assert [(v.value, v.count, v.selected) for v in country.values] == [("ECU", 3, False), ("COL", 1, True)]


def test_hybrid_fuses_the_bm25_and_knn_legs_client_side_fake_transport():
    request = SearchRequest(q="migrant centre", mode="hybrid", size=2)
    vector = np.array([0.6, 0.0, 0.8], dtype=np.float32)
    docs = {"fx-01": RECORD, "fx-03": NEIGHBOUR}
    # an English query (its words are in English descriptions only): the semantic leg keeps its full weight
    english = {"stamp": {"value": 7.0}, "languages": {"buckets": {"en": {"doc_count": 2}, "fr": {"doc_count": 0},
                                                                  "es": {"doc_count": 1}}},
               "words": {"buckets": {"0:en": {"doc_count": 2}, "1:en": {"doc_count": 2}}}}

    def handler(method, path, params, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if path == "/pledges/_search" and "knn" in body["query"]:  # semantic leg: cosines 0.9 and 0.5
            return 200, {"hits": {"total": {"value": 2}, "hits": [
                {"_id": "fx-03", "_score": 0.95}, {"_id": "fx-09", "_score": 0.75}]}}
        if path == "/pledges/_msearch":
            return 200, {"responses": [
                {"hits": {"total": {"value": 3}, "hits": []}, "aggregations": {}},
                {"hits": {"total": {"value": 1}, "hits": [{"_id": "fx-03"}]}},  # fx-09 fails the filters
                {"hits": {"total": {"value": 3}, "hits": []}, "aggregations": english},  # corpus statistics
            ]}
        if path == "/pledges/_search" and body.get("_source") is False:  # BM25 leg
            return 200, {"hits": {"total": {"value": 2}, "hits": [
                {"_id": "fx-01", "_score": 4.0}, {"_id": "fx-03", "_score": 1.0}]}}
        if path == "/pledges/_search" and "ids" in body["query"]:  # the page
            return 200, {"hits": {"hits": [{"_id": i, "_score": 1.0, "_source": source(docs[i])}
                                           for i in body["query"]["ids"]["values"]]}}
        raise AssertionError((method, path, body))

    client, log = fake_client(handler)
    two_legs = DEFAULT_RANKING.with_(objective_weight=0.0)  # the objective leg: test_crosslingual_legs_*
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client, params=two_legs)
    response = backend.search(request, vector)
    knn = log[1][3]
    assert knn["query"]["knn"]["vector"]["k"] == backend.params.semantic_candidates
    assert "filter" not in knn["query"]["knn"]["vector"]  # the match set is found before the filters
    assert knn["min_score"] == pytest.approx((1 + backend.params.similarity_floor) / 2)
    msearch = log[2][3]
    assert msearch[1]["query"] == {"bool": {"should": [Q.text_query(request.q, backend.params.field_boosts),
                                                       {"ids": {"values": ["fx-03", "fx-09"]}}],
                                            "minimum_should_match": 1}}
    assert msearch[5]["aggs"]["words"]["filters"]["filters"]["1:es"] == {"bool": {"filter": [
        {"term": {"language": "es"}},
        {"match": {"description.es": {"query": "centre", "zero_terms_query": "all"}}}]}}
    # fx-03 is first in the semantic leg and second in BM25: RRF puts it above fx-01 (first in BM25 only)
    assert [h.id for h in response.hits] == ["fx-03", "fx-01"]
    assert response.total == 3
    top = response.hits[0].scores
    assert top.semantic == pytest.approx(0.9) and top.keyword == 1.0
    # naive Bayes on the counts: P(en) = 0.917, so the semantic leg weighs 0.917 + 0.25 x 0.083 = 0.938
    p_en = (2.5 / 3) ** 2 / ((2.5 / 3) ** 2 + (0.5 / 2) ** 2)
    assert top.fused == pytest.approx((p_en + 0.25 * (1 - p_en)) / 61 + 1 / 62)


def test_similar_searches_the_stored_vector_under_the_options_fake_transport():
    def handler(method, path, params, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if path == "/pledges/_mget":
            doc = {"_id": "fx-01", "found": True, "_source": {**source(RECORD), "vector": [0.6, 0.0, 0.8]}}
            return 200, {"docs": [doc]}
        if path == "/pledges/_search":
            return 200, {"hits": {"hits": [{"_id": "fx-03", "_score": 0.9, "_source": source(NEIGHBOUR)}]}}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    [neighbour] = backend.similar("fx-01", k=5, other_entities=True, filters=Filters(language=["es"]))
    knn = log[-1][3]["query"]["knn"]["vector"]
    assert knn["vector"] == pytest.approx([0.6, 0.0, 0.8])
    assert knn["filter"] == {"bool": {"filter": [{"terms": {"language": ["es"]}}], "must_not": [
        {"ids": {"values": ["fx-01"]}}, {"term": {"entity_key": "city of barranquilla"}}]}}
    assert neighbour.id == "fx-03" and neighbour.similarity == pytest.approx(0.8)
    assert neighbour.shared_objectives == [15] and neighbour.same_entity_type and neighbour.same_country
    with pytest.raises(KeyError):
        OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=fake_client(
            lambda m, p, q, b: existing_index(m, p, q, b) or (200, {"docs": [{"_id": "zz", "found": False}]})
        )[0]).similar("zz")


def test_an_index_the_indexer_creates_later_is_picked_up_fake_transport():
    state = {"exists": False}

    def handler(method, path, params, body):
        if path == "/pledges/_mapping":
            return existing_index(method, path, params, body) if state["exists"] else (
                404, {"error": {"type": "index_not_found_exception"}, "status": 404})
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
            return 200, {"errors": True, "items": [
                {"delete": {"_id": "fx-01", "status": 200, "result": "deleted"}},
                {"delete": {"_id": "nope", "status": 404, "result": "not_found"}}]}
        if path == "/pledges/_refresh":
            return 200, {}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    assert backend.delete(["fx-01", "nope", "fx-01"]) == 1
    assert log[-2][3] == [{"delete": {"_index": "pledges", "_id": "fx-01"}},
                          {"delete": {"_index": "pledges", "_id": "nope"}}]
    assert log[-1][1] == "/pledges/_refresh"


def test_export_reads_every_match_through_a_point_in_time_fake_transport():
    from search_api.backends.opensearch.search import SCAN_BATCH

    matches = [source(RECORD.model_copy(update={"id": f"r-{i:04d}"})) for i in range(SCAN_BATCH + 1)]

    def handler(method, path, params, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if method == "POST" and path == "/pledges/_search/point_in_time":
            return 200, {"pit_id": "pit-1", "_shards": {"total": 1}}
        if path == "/_search":
            start = 0 if "search_after" not in body else int(body["search_after"][1][2:]) + 1
            page = matches[start:start + body["size"]]
            return 200, {"pit_id": "pit-1", "hits": {"hits": [
                {"_id": m["id"], "_score": 1.0, "_source": m, "sort": [1.0, m["id"]]} for m in page]}}
        if method == "DELETE" and path == "/_search/point_in_time":
            return 200, {"pits": [{"pit_id": "pit-1", "successful": True}]}
        raise AssertionError((method, path))

    client, log = fake_client(handler)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    exported = [p.id for p in backend.iter_matches(SearchRequest(q="migrants", mode="keyword"), None)]
    assert exported == [m["id"] for m in matches]
    searches = [entry for entry in log if entry[1] == "/_search"]
    assert [s[3].get("search_after") for s in searches] == [None, [1.0, f"r-{SCAN_BATCH - 1:04d}"]]
    first = searches[0][3]
    assert first["pit"] == {"id": "pit-1", "keep_alive": "2m"}
    assert first["sort"] == [{"_score": "desc"}, {"id": "asc"}] and "from" not in first
    assert log[-1][:2] == ("DELETE", "/_search/point_in_time") and log[-1][3] == {"pit_id": ["pit-1"]}
