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

__all__ = [
    "NodeLost",
    "NotFoundError",
    "OpenSearch",
    "RequestError",
    "Unreachable",
    "engine_errors",
    "helpers",
    "is_already_exists",
]

# What a cluster says while one of its nodes goes away: the request can be sent again, and the cluster routes it
# to another copy of the shard (a query phase retries copies itself; a fetch phase, or a point in time, does not).
NODE_LOSS = (
    "node_disconnected_exception",
    "node_not_connected_exception",
    "node_closed_exception",
    "connect_transport_exception",
    "send_request_transport_exception",
    "no_shard_available_action_exception",
    "search_context_missing_exception",
)


class Unreachable(BackendError):
    """No OpenSearch answers at the configured address (yet)."""


class NodeLost(BackendError):
    """A node of the cluster left while it served this request: another copy can answer it."""


def is_node_loss(reasons: str) -> bool:
    """True when a failure's reasons say a node went away (NODE_LOSS)."""
    return any(marker in reasons for marker in NODE_LOSS)


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
        cause = root_cause(exc)
        message = f"OpenSearch failed to {action}: {exc}" + (f": {cause}" if cause else "")
        lost = isinstance(exc, opensearchpy.TransportError) and is_node_loss(f"{exc} {cause}")
        raise (NodeLost if lost else BackendError)(message) from exc


def root_cause(exc: Exception) -> str:
    """What the server said went wrong underneath (a shard's failure inside search_phase_execution_exception),
    from the error body; empty when it said nothing more."""
    info = getattr(exc, "info", None)
    error = info.get("error") if isinstance(info, dict) else None
    if not isinstance(error, dict):
        return ""
    causes = [*error.get("root_cause", []), *(f.get("reason", {}) for f in error.get("failed_shards", []))]
    if isinstance(error.get("caused_by"), dict):
        causes.append(error["caused_by"])
    seen = dict.fromkeys(f"{c.get('type', '')}: {c.get('reason', '')}"[:300] for c in causes if isinstance(c, dict))
    return "; ".join(seen)
