"""The OpenSearch engine (optional: `pip install ".[opensearch]"`).

Query building (`mappings`, `queries`, `documents`, `snippets`, `crosslingual_requests`) is plain data and
imports no client; only
`OpenSearchBackend` needs opensearch-py, and without it importing it raises an ImportError that says what to
install.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search_api.backends.opensearch.backend import OpenSearchBackend
    from search_api.backends.opensearch.testing import recreate_for_tests

__all__ = ["OpenSearchBackend", "recreate_for_tests"]


def __getattr__(name: str) -> Any:
    """Import the client-backed parts on first use, so the pure modules work without opensearch-py."""
    if name == "OpenSearchBackend":
        from search_api.backends.opensearch.backend import OpenSearchBackend

        return OpenSearchBackend
    if name == "recreate_for_tests":
        from search_api.backends.opensearch.testing import recreate_for_tests

        return recreate_for_tests
    raise AttributeError(name)
