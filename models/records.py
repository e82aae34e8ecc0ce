"""What crosses from the indexer to an engine, and what every embedder offers: shared by indexer/ and
search_api/, which never import each other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from models.schemas import Pledge


@dataclass(frozen=True)
class StoredRecord:
    """A record as an engine stores it: the normalised record, its vector and the hash of its content (the
    indexer skips a record whose stored hash is unchanged)."""

    pledge: Pledge
    vector: np.ndarray
    content_hash: str


class TextEmbedder(Protocol):
    """Turns text into unit vectors: the model itself (models.embedder.Embedder) or the indexer's cache
    in front of it."""

    @property
    def model_name(self) -> str:
        """Name of the model the vectors come from (stored with them: vectors of two models never mix)."""
        ...

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        ...

    def encode_query(self, text: str) -> np.ndarray:
        """One query's vector."""
        ...

    def encode_documents(self, texts: list[str]) -> np.ndarray:
        """One vector per text (long texts in windows whose vectors are averaged), as a matrix."""
        ...
