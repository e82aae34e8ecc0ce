"""A recording fake of the HTTP connection under the real opensearch-py client, for the fake-transport tests.

The HTTP connection is replaced: each request is decoded, logged and answered by the test's handler with a
canned answer shaped as the OpenSearch docs show it. Import it only after `pytest.importorskip("opensearchpy")`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from opensearchpy import Connection, OpenSearch

from models.schemas import Pledge
from search_api.backends.opensearch.mappings import index_meta

P, E = "\ue000", "\ue001"
Handler = Callable[[str, str, dict, Any], tuple[int, Any]]


class FakeConnection(Connection):
    """Answers each request with the test's handler and records it (method, path, params, decoded body)."""

    handler: Handler
    log: list[tuple[str, str, dict, Any]]

    def perform_request(self, method, url, params=None, body=None, timeout=None, ignore=(), headers=None):
        text = body.decode() if isinstance(body, bytes) else body
        if text and "\n" in text.strip():
            decoded = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            decoded = json.loads(text) if text else None
        path = url.split("?")[0]
        query = {k: v.decode() if isinstance(v, bytes) else v for k, v in (params or {}).items()}
        self.log.append((method, path, query, decoded))
        status, answer = self.handler(method, path, query, decoded)
        raw = json.dumps(answer)
        if status >= 300 and status not in ignore:
            self._raise_error(status, raw, "application/json")
        return status, {"content-type": "application/json"}, raw


def fake_client(handler: Handler) -> tuple[OpenSearch, list]:
    """A real client whose connection is the fake; the log lists every request in order."""
    log: list = []
    conn = type("Conn", (FakeConnection,), {"handler": staticmethod(handler), "log": log})
    return OpenSearch(hosts=["http://opensearch.invalid:9200"], connection_class=conn, max_retries=0), log


def existing_index(method: str, path: str, params: dict, body: Any) -> tuple[int, Any] | None:
    """Answers for an index `pledges-1` behind the alias `pledges`, built with our model."""
    if method == "GET" and path == "/pledges/_mapping":
        return 200, {"pledges-1": {"mappings": {"_meta": index_meta(3, "all-MiniLM-L6-v2")}}}
    return None


RECORD = Pledge(
    id="fx-01",
    title="Centre for the Local Integration of Migrants",
    description="A municipal one-stop centre where migrants find services under one roof.",
    entity_name="City of Barranquilla",
    entity_type="local_authority",
    countries=["COL"],
    objectives=[7, 15],
    language="en",
)
NEIGHBOUR = Pledge(
    id="fx-03",
    title="Orientación a población venezolana en Cúcuta",
    description="Cada migrante venezolano recibe orientación.",
    entity_name="Alcaldía de Cúcuta",
    entity_type="local_authority",
    countries=["COL"],
    objectives=[15],
    language="es",
)


def source(p: Pledge) -> dict:
    """A record's _source as the index returns it (the engine's own fields left out)."""
    return p.model_dump(mode="json")
