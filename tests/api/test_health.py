"""GET /health, /ready and /openapi.json against the live server."""

from __future__ import annotations

import httpx


def test_health_and_ready(client: httpx.Client, api_engine: str) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready" and body["backend"] == api_engine
    assert body["health"] == "green"  # the embedded store, or a one-node index with no replica to miss
    assert body["count"] >= 24
    assert body["model"]


def test_openapi_documents_every_endpoint_and_its_errors(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        ("get", "/search"),
        ("get", "/facets"),
        ("get", "/export"),
        ("get", "/taxonomy"),
        ("get", "/pledges/{record_id}"),
        ("get", "/pledges/{record_id}/similar"),
        ("put", "/pledges/{record_id}"),
        ("delete", "/pledges/{record_id}"),
        ("post", "/index"),
        ("get", "/health"),
        ("get", "/ready"),
    }
    assert expected <= {(m, p) for p, ops in paths.items() for m in ops}
    for path, ops in paths.items():
        for method, op in ops.items():
            if path in ("/health",):
                continue
            error = op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            assert error.endswith(("/ErrorBody", "/UploadErrorBody")), (method, path)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "401" in paths["/index"]["post"]["responses"]
    assert client.get("/docs").status_code == 200


def test_cors_allows_the_configured_ui_origin(client: httpx.Client) -> None:
    preflight = client.options(
        "/search", headers={"Origin": "http://127.0.0.1:8501", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://127.0.0.1:8501"
    simple = client.get("/health", headers={"Origin": "http://localhost:8501"})
    assert simple.headers["access-control-allow-origin"] == "http://localhost:8501"
    other = client.get("/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
