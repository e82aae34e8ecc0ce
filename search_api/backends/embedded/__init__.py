"""The embedded engine (default): tantivy + numpy in one directory, no server."""

from search_api.backends.embedded.backend import EmbeddedBackend

__all__ = ["EmbeddedBackend"]
