"""Pick the search engine the settings name, with an install hint when an optional engine is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from search_api.backends.base import BackendError, SearchBackend

if TYPE_CHECKING:
    from pathlib import Path

    from models.settings import Settings
    from search_api.backends.embedded import EmbeddedBackend

ENGINES = ("embedded", "opensearch")


def embedded_path(settings: Settings) -> Path:
    """Directory of the embedded store under the data directory."""
    return settings.data_dir / "embedded"


def embedded_backend(path: Path, settings: Settings, dimension: int | None, model_name: str | None) -> EmbeddedBackend:
    """An embedded store at `path` tuned by the settings (nearest neighbours, vectors' copies, facet table)."""
    from search_api.backends.embedded import EmbeddedBackend
    from search_api.backends.embedded.vectors import VectorOptions

    options = VectorOptions(
        ann_threshold=settings.ann_threshold, ann_dtype=settings.ann_dtype, matrix_dtype=settings.vector_dtype
    )
    return EmbeddedBackend(
        path, dimension, model_name, vector_options=options, facet_table_limit=settings.facet_table_limit
    )


def create_backend(
    settings: Settings, dimension: int | None = None, model_name: str | None = None, *, check_stored: bool = True
) -> SearchBackend:
    """The engine named by `settings.backend`.

    `dimension` and `model_name` describe the vectors this process will write; a store built with another
    model raises StoreMismatch rather than mixing vectors of two models. `check_stored=False` opens an OpenSearch
    alias whatever its index holds (`pledges index --rebuild` replaces it with a new generation).
    """
    model = model_name or settings.embedding_model
    if settings.backend == "embedded":
        return embedded_backend(embedded_path(settings), settings, dimension, model)
    if settings.backend == "opensearch":
        try:
            import opensearchpy  # noqa: F401
        except ImportError as exc:
            raise BackendError(
                "The opensearch backend needs the OpenSearch client: pip install "
                "'gcm-pledge-search[opensearch]' (or pip install opensearch-py)."
            ) from exc
        if not settings.opensearch_url:
            raise BackendError("PLEDGES_BACKEND=opensearch needs PLEDGES_OPENSEARCH_URL, e.g. http://127.0.0.1:9200.")
        from search_api.backends.opensearch import OpenSearchBackend

        return OpenSearchBackend(
            settings.opensearch_url,
            settings.opensearch_index,
            dimension,
            model,
            timeout=settings.opensearch_timeout_s,
            check_stored=check_stored,
        )
    raise BackendError(
        f"Unknown search engine {settings.backend!r} (PLEDGES_BACKEND): choose one of {', '.join(ENGINES)}."
    )
