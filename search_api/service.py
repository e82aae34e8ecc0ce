"""SearchService: what the CLI and the API both call. Framework-free; engines behind `SearchBackend`.

The embedding model is loaded on first need only: keyword searches, blank queries, reads and deletes never
load it (it takes seconds and hundreds of MB).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models.records import StoredRecord, TextEmbedder
from models.schemas import (
    Facet,
    Filters,
    IndexReport,
    Pledge,
    PledgeIn,
    PledgeView,
    SearchRequest,
    SearchResponse,
    SimilarResponse,
    UiLanguage,
)
from models.settings import Settings, get_settings
from search_api.backends.base import SearchBackend
from search_api.backends.factory import create_backend
from search_api.core import labels
from search_api.core.reader import QueryVector
from search_api.core.side_work import DEMAND

if TYPE_CHECKING:
    from indexer.embedding_cache import CachedEmbedder
    from indexer.pipeline import RunReport
    from search_api.backends.opensearch.backend import Rebuilt

# Queries of 1 to 12 words, and a few longer: each is a different input length for the model (one word piece
# per word: all of these are single word pieces in the model's vocabulary).
WARM_UP_WORD_COUNTS = (*range(1, 13), 16, 24, 32)
WARM_UP_WORDS = ("migration", "work", "family", "school", "health", "city", "women", "rights")


class RebuildUnsupported(Exception):
    """The engine has no index generations: `pledges index --rebuild` is refused."""


class NotFound(KeyError):
    """No record has this id; the API answers 404."""

    def __init__(self, record_id: str) -> None:
        super().__init__(record_id)
        self.record_id = record_id

    def __str__(self) -> str:
        return f"No record has the id {self.record_id!r}."


def embedding_cache_path(settings: Settings) -> Path:
    """Where document embeddings are cached (by model and text hash), shared by `pledges index` and PUT."""
    return settings.data_dir / "embeddings.sqlite"


class SearchService:
    """Search, read, write and index through one engine and one (lazily loaded) embedder."""

    def __init__(
        self,
        settings: Settings | None = None,
        backend: SearchBackend | None = None,
        embedder: TextEmbedder | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self._embedder = embedder
        self._cached: CachedEmbedder | None = None
        self._pool: ThreadPoolExecutor | None = None
        self.backend = backend or create_backend(self.settings, model_name=self.settings.embedding_model)

    # --- model ------------------------------------------------------------------------------------------
    @property
    def embedder(self) -> TextEmbedder:
        """The query/document embedder; built (not yet loaded) on first use."""
        if self._embedder is None:
            from models.embedder import Embedder

            self._embedder = Embedder(
                self.settings.embedding_model,
                runtime=self.settings.embedding_backend,
                batch_size=self.settings.embedding_batch_size,
                threads=self.settings.embedding_threads,
            )
        return self._embedder

    @property
    def document_embedder(self) -> CachedEmbedder:
        """The embedder behind the on-disk cache: unchanged texts are never embedded twice."""
        if self._cached is None:
            from indexer.embedding_cache import CachedEmbedder

            self._cached = CachedEmbedder(self.embedder, embedding_cache_path(self.settings))
        return self._cached

    def query_vector(self, request: SearchRequest) -> np.ndarray | None:
        """The query's vector when the mode needs one; None for keyword mode and blank queries."""
        if request.mode == "keyword" or not request.q.strip():
            return None
        return self.embedder.encode_query(request.q)

    def _vector_for(self, request: SearchRequest) -> QueryVector:
        """A Future of the query vector when the mode needs one: the core runs the text side of the search
        while the model encodes the query (both release the GIL), and waits only when a leg needs it."""
        if request.mode == "keyword" or not request.q.strip():
            return None
        if DEMAND.busy:  # reads are waiting: every core has work, a second thread would only take turns
            return self.embedder.encode_query(request.q)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="encode-query")
        return self._pool.submit(self.embedder.encode_query, request.q)

    # --- reads ------------------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResponse:
        """One page of hits with total and facets."""
        return self.backend.search(request, self._vector_for(request))

    def export(self, request: SearchRequest) -> Iterator[Pledge]:
        """Every record of a search's result, in rank order."""
        return self.backend.iter_matches(request, self._vector_for(request))

    def facets(self, filters: Filters, lang: UiLanguage = "en", facet_size: int = 30) -> list[Facet]:
        """Facet counts over the whole corpus under these filters (disjunctive), `facet_size` values each."""
        request = SearchRequest(q="", filters=filters, lang=lang, size=1, facet_size=facet_size)
        return self.backend.search(request, None).facets

    def view(self, record_id: str, lang: UiLanguage = "en") -> PledgeView:
        """One record with its labels in `lang`; NotFound when the id is unknown."""
        return labels.view(self.get(record_id), lang)

    def get(self, record_id: str) -> Pledge:
        """One record; NotFound when the id is unknown."""
        pledge = self.backend.get(record_id)
        if pledge is None:
            raise NotFound(record_id)
        return pledge

    def similar(
        self,
        record_id: str,
        k: int = 10,
        other_countries: bool = False,
        other_entities: bool = False,
        filters: Filters | None = None,
        lang: str = "en",
    ) -> SimilarResponse:
        """Nearest records by embedding, itself excluded, each with reasons."""
        try:
            data = self.backend.similar(
                record_id,
                k,
                other_countries=other_countries,
                other_entities=other_entities,
                filters=filters,
                lang=lang,
            )
        except KeyError as exc:
            raise NotFound(record_id) from exc
        return SimilarResponse(id=record_id, data=data, count=len(data))

    # --- writes -----------------------------------------------------------------------------------------
    def put(self, record_id: str, body: PledgeIn) -> Pledge:
        """Validate, scrub personal data (as the indexer does), tag (the tagger's suggested objectives replace
        any in the body), embed (through the cache) and store one record under `record_id`."""
        from indexer.pipeline import with_suggestions
        from indexer.privacy import scrub_fields
        from indexer.text import content_hash, embedding_text

        pledge = with_suggestions(Pledge.model_validate(scrub_fields({**body.model_dump(), "id": record_id})))
        embedder = self.document_embedder
        vector = embedder.encode_documents([embedding_text(pledge)])[0]
        self.backend.upsert(
            [StoredRecord(pledge, np.asarray(vector, dtype=np.float32), content_hash(pledge, embedder.model_name))]
        )
        return pledge

    def delete(self, record_id: str) -> None:
        """Remove one record; NotFound when there was none."""
        if self.backend.delete([record_id]) == 0:
            raise NotFound(record_id)

    def index_upload(self, data: bytes, filename: str) -> IndexReport:
        """Index an uploaded file (JSONL, CSV, webform text) like `pledges index` does."""
        from indexer.pipeline import index_bytes

        return index_bytes(
            data, filename, self.backend, self.document_embedder, batch_size=self.settings.index_batch_size
        )

    def index_paths(
        self,
        paths: Sequence[Path],
        rejects_path: Path | None = None,
        progress: bool = False,
        batch_size: int | None = None,
        into: SearchBackend | None = None,
    ) -> RunReport:
        """Index files and folders into the store (`pledges index`), or `into` another one (a new generation)."""
        from indexer.pipeline import index_paths

        return index_paths(
            list(paths),
            into or self.backend,
            self.document_embedder,
            rejects_path=rejects_path,
            progress=progress,
            batch_size=batch_size or self.settings.index_batch_size,
        )

    def rebuild_paths(
        self,
        paths: Sequence[Path],
        rejects_path: Path | None = None,
        progress: bool = False,
        batch_size: int | None = None,
    ) -> tuple[RunReport, Rebuilt]:
        """`pledges index --rebuild`: index the files into a new generation of the store, through the same
        pipeline as `index_paths`, and swap it in when it holds every record the report counts (indexed +
        unchanged); searches meanwhile read the old generation. Engines without generations refuse
        (RebuildUnsupported): the embedded store commits each batch atomically and is re-indexed in place."""
        rebuild = getattr(self.backend, "rebuild", None)
        if rebuild is None:
            raise RebuildUnsupported(
                f"The {self.backend.name} engine has no index generations to rebuild into: its batches commit "
                "atomically, so run `pledges index` again (unchanged records are skipped), or index into an "
                "empty PLEDGES_DATA_DIR."
            )
        reports: list[RunReport] = []

        def fill(generation: SearchBackend) -> int:
            report = self.index_paths(paths, rejects_path, progress, batch_size, into=generation)
            reports.append(report)
            return report.indexed + report.unchanged

        embedder = self.document_embedder
        rebuilt = rebuild(fill, dimension=embedder.dimension, model_name=embedder.model_name)
        return reports[-1], rebuilt

    # --- lifecycle --------------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load what the first searches would otherwise wait seconds for (and race to load): the model, the
        engine's readers, and torch's kernels for each common query length, which it prepares on the first
        input of that many tokens. Raises BackendError when the engine is unreachable."""
        self.search(SearchRequest(q="warm up", mode="hybrid", page=1, size=1, facet_size=1))
        for count in WARM_UP_WORD_COUNTS:
            self.embedder.encode_query(" ".join(WARM_UP_WORDS[i % len(WARM_UP_WORDS)] for i in range(count)))

    def ready(self) -> dict[str, Any]:
        """The engine's name, health, record count and embedding model; raises BackendError when unreachable."""
        health = self.backend.health()  # first: bounded by a short timeout where the engine is a server
        return {
            "backend": self.backend.name,
            "health": health,
            "count": self.backend.count(),
            "model": self.backend.embedding_model or self.settings.embedding_model,
        }

    def close(self) -> None:
        """Release the engine and the embedding cache."""
        self.backend.close()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._cached is not None and hasattr(self._cached, "close"):
            self._cached.close()
