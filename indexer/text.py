"""What gets embedded for a record, and the hash that says whether a stored record is still current."""

from __future__ import annotations

import hashlib
import json

from models.schemas import Pledge


def embedding_text(p: Pledge) -> str:
    """Title, description and entity name: the words a peer would search by.

    Long texts are not cut: `models.embedder.Embedder.encode_documents` splits them into overlapping windows
    of the model's 256 tokens and mean-pools the windows' vectors.
    """
    parts = [p.title.strip(), p.description.strip()]
    if p.entity_name:
        parts.append(p.entity_name.strip())
    return "\n\n".join(parts)


def text_hash(text: str) -> str:
    """sha256 of a text: the embedding cache's key, with the model's name."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(p: Pledge, model_name: str) -> str:
    """Hash of the whole normalised record and the model: equal hashes mean nothing to re-index."""
    payload = json.dumps({"model": model_name, "record": p.model_dump(mode="json")}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
