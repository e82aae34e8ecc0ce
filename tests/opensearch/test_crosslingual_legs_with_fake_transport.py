"""Hybrid search's cross-language legs through the real opensearch-py client, with a fake transport.

The fake (opensearch_fakes.py) stands for the HTTP connection. Its `_analyze` answers come from the embedded
engine's analysers, which the index's analysers mirror (mappings.py); everything else is canned. A Spanish
query, "remesas", on a store of mostly English records: the English model's neighbours are noise for it, the
taxonomy is not.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

if not os.environ.get("OPENSEARCH_URL"):  # with a server named, a missing client is an error, not a skip
    pytest.importorskip("opensearchpy", reason="the OpenSearch extra is not installed")

from opensearch_fakes import existing_index, fake_client  # noqa: E402

from models.schemas import Pledge, SearchRequest  # noqa: E402
from search_api.backends.embedded.objectives import analyse  # noqa: E402
from search_api.backends.opensearch import OpenSearchBackend  # noqa: E402

RECORDS = {
    "en-20": (Pledge(id="en-20", title="Cheaper remittances for rural families",
                     description="Lower fees on money sent home.", objectives=[20], language="en"), [1.0, 0.0, 0.0]),
    "es-20": (Pledge(id="es-20", title="Remesas más baratas", description="Reducir el costo de las remesas.",
                     objectives=[20], language="es"), [0.8, 0.6, 0.0]),
    "en-7": (Pledge(id="en-7", title="Shelter network", description="Beds for people in vulnerable situations.",
                    objectives=[7], language="en"), [0.0, 1.0, 0.0]),
    # declares no objective: its vector sits by the objective-20 records, so 20 is inferred for ranking
    "en-none": (Pledge(id="en-none", title="Family budgets abroad", description="Coaching on money transfers.",
                       objectives=[], language="en"), [0.95, 0.3, 0.0]),
}
# "remesas" is in one Spanish description and no English one: the query is Spanish
STATS = {"languages": {"buckets": {"en": {"doc_count": 3}, "fr": {"doc_count": 0}, "es": {"doc_count": 1}}},
         "words": {"buckets": {"0:en": {"doc_count": 0}, "0:fr": {"doc_count": 0}, "0:es": {"doc_count": 1}}}}


class Store:
    """Canned answers of an index holding RECORDS; `stamp` is the content stamp the statistics report."""

    def __init__(self) -> None:
        self.stamp = 1000.0

    def __call__(self, method: str, path: str, params: dict, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if path == "/pledges/_analyze":  # the index's analyser of that language
            return 200, {"tokens": [{"token": t, "position": i}
                                    for i, t in enumerate(analyse(body["text"], body["analyzer"][5:]))]}
        if path == "/pledges/_search" and "knn" in body["query"]:  # the English model's noise
            return 200, {"hits": {"hits": [{"_id": i, "_score": (1 + c) / 2}
                                           for i, c in (("en-7", 0.5), ("en-none", 0.4), ("en-20", 0.3))]}}
        if path == "/pledges/_msearch":
            return 200, {"responses": [
                {"hits": {"total": {"value": 4}, "hits": []}, "aggregations": {}},
                {"hits": {"hits": [{"_id": i} for i in ("en-7", "en-none", "en-20")]}},
                {"hits": {"total": {"value": 4}, "hits": []},
                 "aggregations": {**STATS, "stamp": {"value": self.stamp}}}]}
        if path == "/pledges/_search" and body.get("_source") is False:  # BM25: text, then objective labels
            return 200, {"hits": {"total": {"value": 2}, "hits": [
                {"_id": "es-20", "_score": 5.0}, {"_id": "en-20", "_score": 1.2}]}}
        if path == "/pledges/_search/point_in_time":
            return 200, {"pit_id": "pit-1"}
        if path == "/_search":  # the objectives scan
            return 200, {"pit_id": "pit-1", "hits": {"hits": [
                {"_id": i, "sort": [i], "_source": {"objectives": p.objectives, "vector": v}}
                for i, (p, v) in sorted(RECORDS.items())]}}
        if method == "DELETE" and path == "/_search/point_in_time":
            return 200, {"pits": [{"pit_id": "pit-1", "successful": True}]}
        if path == "/pledges/_search" and "ids" in body["query"]:  # the page
            return 200, {"hits": {"hits": [{"_id": i, "_score": 1.0, "_source": RECORDS[i][0].model_dump(mode="json")}
                                           for i in body["query"]["ids"]["values"]]}}
        raise AssertionError((method, path, body))


def search(backend: OpenSearchBackend, mode: str = "hybrid"):
    return backend.search(SearchRequest(q="remesas", mode=mode, size=10), np.array([0.6, 0.8, 0.0]))


def test_a_spanish_query_reaches_english_records_through_the_objective_leg_fake_transport():
    store = Store()
    client, log = fake_client(store)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    response = search(backend)
    # the English record on remittances first; the record that declares nothing but sits by them comes
    # before the semantic leg's top neighbour, which carries no objective of the query
    assert [h.id for h in response.hits] == ["en-20", "es-20", "en-none", "en-7"]
    # P(es | "remesas") = 0.75 / (0.75 + 0.125); the semantic leg weighs 1/7 + 0.25 x 6/7 = 0.357; the
    # three weights (1, 0.357, 0.6) are scaled to sum to 2, as the embedded engine scales them
    semantic = 1 / 7 + 0.25 * 6 / 7
    scale = 2 / (1 + semantic + 0.6)
    by_id = {h.id: h for h in response.hits}
    assert by_id["en-7"].scores.fused == pytest.approx(semantic * scale / 61)
    # objective leg order: en-none (cosine 0.4), en-20 (0.3), es-20 (no cosine): all carry objective 20
    assert by_id["en-none"].scores.fused == pytest.approx(semantic * scale / 62 + 0.6 * scale / 61)
    assert by_id["es-20"].scores.fused == pytest.approx(scale / 61 + 0.6 * scale / 63)
    assert by_id["en-none"].objectives == []  # inferred objectives rank, they are never shown
    scan = [entry for entry in log if entry[1] == "/_search"]
    assert [s[3]["_source"] for s in scan] == [{"includes": ["objectives", "vector"]}]
    assert scan[0][3]["sort"] == [{"id": "asc"}]


def test_readings_and_objectives_are_reused_until_the_index_changes_fake_transport():
    store = Store()
    client, log = fake_client(store)
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    first = search(backend)

    def count(path: str) -> int:
        return sum(1 for entry in log if entry[1] == path)

    analysed, scans = count("/pledges/_analyze"), count("/pledges/_search/point_in_time")
    assert scans == 1 and analysed >= 3  # the query in en/fr/es (and the labels, once per process)
    again = search(backend)
    assert [h.id for h in again.hits] == [h.id for h in first.hits]
    assert (count("/pledges/_analyze"), count("/pledges/_search/point_in_time")) == (analysed, 1)
    store.stamp += 7  # a record came, went or changed: its objectives are read again
    search(backend)
    assert count("/pledges/_search/point_in_time") == 2
    semantic_only = len(log)
    search(backend, mode="semantic")
    msearch = next(entry for entry in log[semantic_only:] if entry[1] == "/pledges/_msearch")
    assert len(msearch[3]) == 4  # facets and the filtered candidates: no statistics outside hybrid


def unit(vector: list[float]) -> list[float]:
    """The vector scaled to length 1 in float32, as stored vectors are."""
    array = np.asarray(vector, dtype=np.float32)
    return [float(x) for x in array / np.linalg.norm(array)]


PARITY = {**RECORDS,
          "fr-20": (Pledge(id="fr-20", title="Envois de fonds moins chers", objectives=[20, 19], language="fr",
                           description="Réduire le coût des envois de fonds des migrants."), [0.7, 0.0, 0.714]),
          "es-10": (Pledge(id="es-10", title="Contra la trata de personas", objectives=[10], language="es",
                           description="Protección de víctimas de trata en la frontera."), [0.0, 0.6, 0.8]),
          "en-none2": (Pledge(id="en-none2", title="Border protection training", objectives=[], language="en",
                              description="Officers learn to spot victims of trafficking."), [0.1, 0.5, 0.86])}
PARITY = {i: (p, unit(v)) for i, (p, v) in PARITY.items()}


class Mirror:
    """Answers as an index of PARITY would, with the embedded engine's BM25 and cosine legs as its own."""

    def __init__(self, keyword: list[tuple[str, float]], semantic: list[tuple[str, float]]) -> None:
        self.keyword, self.semantic = keyword, semantic

    @staticmethod
    def holding(word_filter: dict) -> int:
        """How many records pass one `words` filter: in its language, holding the word as it reads it."""
        language = word_filter["bool"]["filter"][0]["term"]["language"]
        [(_field, match)] = word_filter["bool"]["filter"][1]["match"].items()
        terms = analyse(match["query"], language)
        records = [p for p, _ in PARITY.values() if p.language == language]
        return sum(1 for p in records if not terms or terms[0] in analyse(p.description, language))

    def __call__(self, method: str, path: str, params: dict, body):
        if answer := existing_index(method, path, params, body):
            return answer
        if path == "/pledges/_analyze":
            return 200, {"tokens": [{"token": t} for t in analyse(body["text"], body["analyzer"][5:])]}
        if path == "/pledges/_search" and "knn" in body["query"]:
            return 200, {"hits": {"hits": [{"_id": i, "_score": (1 + c) / 2} for i, c in self.semantic]}}
        if path == "/pledges/_msearch":
            stats = body[-1]["aggs"]
            words = {key: {"doc_count": self.holding(f)}
                     for key, f in stats.get("words", {}).get("filters", {}).get("filters", {}).items()}
            sizes = {lang: {"doc_count": sum(1 for p, _ in PARITY.values() if p.language == lang)}
                     for lang in ("en", "fr", "es")}
            return 200, {"responses": [
                {"hits": {"total": {"value": len(PARITY)}, "hits": []}, "aggregations": {}},
                {"hits": {"hits": [{"_id": i} for i, _ in self.semantic]}},
                {"hits": {"total": {"value": len(PARITY)}, "hits": []}, "aggregations": {
                    "stamp": {"value": 1.0}, "languages": {"buckets": sizes}, "words": {"buckets": words}}}]}
        if path == "/pledges/_search" and body.get("_source") is False:
            return 200, {"hits": {"hits": [{"_id": i, "_score": s} for i, s in self.keyword]}}
        if path == "/pledges/_search/point_in_time":
            return 200, {"pit_id": "pit-1"}
        if path == "/_search":
            return 200, {"pit_id": "pit-1", "hits": {"hits": [
                {"_id": i, "sort": [i], "_source": {"objectives": p.objectives, "vector": v}}
                for i, (p, v) in sorted(PARITY.items())]}}
        if method == "DELETE":
            return 200, {}
        if path == "/pledges/_search" and "ids" in body["query"]:
            return 200, {"hits": {"hits": [{"_id": i, "_score": 1.0, "_source": PARITY[i][0].model_dump(mode="json")}
                                           for i in body["query"]["ids"]["values"]]}}
        raise AssertionError((method, path, body))


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """The embedded engine over PARITY (vectors given, no model)."""
    from search_api.backends.base import StoredRecord
    from search_api.backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend(tmp_path_factory.mktemp("parity") / "store", 3, "all-MiniLM-L6-v2")
    backend.upsert([StoredRecord(p, np.asarray(v, dtype=np.float32), f"h-{i}") for i, (p, v) in PARITY.items()])
    yield backend
    backend.close()


@pytest.mark.parametrize("q, vector", [
    ("remesas", [0.6, 0.8, 0.0]),
    ("envois de fonds", [0.0, 0.6, 0.8]),
    ("trata de personas", [0.9, 0.0, 0.436]),
    ("money sent home", [1.0, 0.0, 0.0]),
])
def test_both_engines_rank_alike_when_their_bm25_and_knn_legs_agree_fake_transport(embedded, q, vector):
    """Given the embedded engine's BM25 and cosine lists as OpenSearch's answers, the OpenSearch engine's
    language weight, objective leg (inferred objectives included) and fusion give the embedded order."""
    vector = np.asarray(unit(vector), dtype=np.float32)
    request = SearchRequest(q=q, mode="hybrid", size=len(PARITY))
    deep = {"size": 100, "facets": False}
    keyword = [(h.id, h.scores.keyword) for h in embedded.search(
        request.model_copy(update={**deep, "mode": "keyword"}), None).hits]
    semantic = [(h.id, h.scores.semantic) for h in embedded.search(
        request.model_copy(update={**deep, "mode": "semantic"}), vector).hits]
    client, _ = fake_client(Mirror(keyword, semantic))
    backend = OpenSearchBackend("http://x", "pledges", 3, "all-MiniLM-L6-v2", client=client)
    ours = backend.search(request, vector).hits
    theirs = embedded.search(request, vector).hits
    assert [(h.id, round(h.scores.fused, 9)) for h in ours] == [(h.id, round(h.scores.fused, 9)) for h in theirs]
