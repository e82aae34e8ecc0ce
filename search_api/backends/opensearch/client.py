"""The opensearch-py import, with an install hint, and engine errors turned into BackendError."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from search_api.backends.base import BackendError

INSTALL_HINT = 'The OpenSearch engine needs the opensearch-py client: pip install ".[opensearch]"'

try:
    import opensearchpy
    from opensearchpy import NotFoundError, OpenSearch, RequestError, helpers
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the package
    raise ImportError(INSTALL_HINT) from exc

__all__ = ["NotFoundError", "OpenSearch", "RequestError", "Unreachable", "engine_errors", "helpers",
           "is_already_exists"]


class Unreachable(BackendError):
    """No OpenSearch answers at the configured address (yet)."""


def is_already_exists(exc: Exception) -> bool:
    """True when an index we tried to create was created meanwhile (by another process)."""
    return isinstance(exc, opensearchpy.RequestError) and "resource_already_exists_exception" in str(exc)


@contextmanager
def engine_errors(action: str) -> Iterator[None]:
    """Any client or server failure inside becomes a BackendError naming what we were doing."""
    try:
        yield
    except BackendError:
        raise
    except opensearchpy.ConnectionError as exc:
        raise Unreachable(f"OpenSearch is unreachable while trying to {action}: {exc}") from exc
    except (opensearchpy.OpenSearchException, helpers.BulkIndexError) as exc:
        raise BackendError(f"OpenSearch failed to {action}: {exc}") from exc
