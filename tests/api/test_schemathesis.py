"""Property-based tests of the API against its own OpenAPI schema (schemathesis): whatever a client sends
within or outside the schema, no 5xx, and every answer conforms to the documented status codes, content types
and bodies. In-process (ASGI) over a private copy of the store, with the API key, so writes are exercised too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="session")
def inprocess_app(store_copy, embedder, api_key: str) -> Iterator[object]:
    """The app over the copied store, with a real SearchService sharing this session's embedder."""
    from models.settings import Settings
    from search_api.http.app import create_app
    from search_api.service import SearchService

    app_settings = Settings(data_dir=store_copy, api_key=api_key, max_upload_bytes=200_000)
    service = SearchService(app_settings, embedder=embedder)
    yield create_app(app_settings, service=service)
    service.close()


@pytest.fixture(scope="session")
def api_schema(inprocess_app):
    """The app's own OpenAPI schema, loaded from /openapi.json."""
    return schemathesis.openapi.from_asgi("/openapi.json", inprocess_app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_conforms_to_its_schema(case, api_key: str) -> None:
    case.call_and_validate(headers={"X-API-Key": api_key}, checks=CHECKS)
