"""A clean index for test suites that run against a real OpenSearch (the contract suite, OPENSEARCH_URL)."""

from __future__ import annotations

from search_api.backends.opensearch.backend import OpenSearchBackend
from search_api.backends.opensearch.client import OpenSearch, engine_errors
from search_api.core.ranking import DEFAULT_RANKING, RankingParams


def drop_index(url: str, index: str) -> None:
    """Delete every `<index>-<n>` generation (the alias goes with them) and an index named `index`, if any.

    Indices are deleted by name, never by wildcard (clusters may set action.destructive_requires_name)."""
    client = OpenSearch(hosts=[url], timeout=30)
    try:
        with engine_errors(f"drop the test index {index!r}"):
            names = client.indices.get(
                index=f"{index}-*,{index}", ignore_unavailable=True, allow_no_indices=True, expand_wildcards="all"
            )
            for name in names:
                client.indices.delete(index=name, ignore_unavailable=True)
    finally:
        client.close()


def recreate_for_tests(
    url: str, index: str, dimension: int, model_name: str, params: RankingParams = DEFAULT_RANKING
) -> OpenSearchBackend:
    """A backend over a fresh, empty index: whatever a previous run left under this name is dropped first.

    Use a name of its own per test session (e.g. `pledges-test-<pid>`): the whole `<index>-*` family goes."""
    drop_index(url, index)
    return OpenSearchBackend(url=url, index=index, dimension=dimension, model_name=model_name, params=params)
