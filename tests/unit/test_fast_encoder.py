"""The fast runtimes (ONNX Runtime, OpenVINO) against the reference, sentence-transformers in torch fp32.

On 30 texts of the bundled corpus, as the indexer embeds them, among them the longest French and Spanish ones
(several windows each): same word pieces and windows, cosine >= 0.999 per text and per query, and top-10
neighbour overlap >= 0.98. Then the exported graph's cache: reused, keyed by the model's files, and written so
that writers racing each other leave one whole file.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from models.embedder import Embedder, model_folder
from models.fast_encoder import ensure_exported, exported_path, weights_key
from search_api.bench.faithfulness import top_overlap

pytestmark = pytest.mark.slow
SAMPLE = 30
QUERIES = [
    "one-stop centre for migrants",
    "centre d'accueil pour les migrants à Montréal",
    "remesas más baratas para las familias",
    "x",
    "climate displacement " * 200,  # longer than one window: cut as sentence-transformers cuts it
]
FAST = ["onnx"] + (["openvino"] if importlib.util.find_spec("openvino") else [])


def corpus_sample(repo_root: Path) -> list[str]:
    """30 texts of data/corpus/*.jsonl: the longest French and the longest Spanish, the rest spread evenly."""
    from indexer.normalise import normalise_record
    from indexer.sources import read_paths
    from indexer.text import embedding_text
    from models.schemas import Rejection

    pledges = [
        normalise_record(item.data, item.source, item.line, redact=item.redact)
        for item in read_paths(sorted((repo_root / "data" / "corpus").glob("*.jsonl")))
        if not isinstance(item, Rejection)
    ]
    texts = [embedding_text(p) for p in pledges]
    chosen = [
        max((i for i, p in enumerate(pledges) if p.language == lang), key=lambda i: len(texts[i]))
        for lang in ("fr", "es")
    ]
    for i in np.linspace(0, len(texts) - 1, SAMPLE, dtype=int):
        if len(chosen) < SAMPLE and int(i) not in chosen:
            chosen.append(int(i))
    return [texts[i] for i in chosen]


@pytest.fixture(scope="module")
def texts(repo_root: Path) -> list[str]:
    return corpus_sample(repo_root)


@pytest.fixture(scope="module")
def reference() -> Embedder:
    model = Embedder(runtime="torch")
    model.load()
    return model


@pytest.fixture(scope="module", params=FAST)
def fast(request: pytest.FixtureRequest) -> Embedder:
    model = Embedder(runtime=request.param)
    model.load()
    return model


def test_sample_has_long_french_and_spanish_texts(texts: list[str], reference: Embedder) -> None:
    assert len(texts) == SAMPLE
    assert len(reference.chunks(texts[0])) >= 2 and len(reference.chunks(texts[1])) >= 2


def test_same_word_pieces_and_windows(texts: list[str], reference: Embedder, fast: Embedder) -> None:
    tokenizer = reference.model.tokenizer
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        assert fast.fast.tokenizer.encode(text, add_special_tokens=False).ids == ids
        assert fast.chunks(text) == reference.chunks(text)


def test_documents_agree_with_torch_fp32(texts: list[str], reference: Embedder, fast: Embedder) -> None:
    want, want_windows = reference.encode_documents_counted(texts)
    got, got_windows = fast.encode_documents_counted(texts)
    assert got.shape == want.shape and got.dtype == np.float32
    assert got_windows == want_windows > SAMPLE
    cosines = np.sum(got * want, axis=1)
    assert cosines.min() >= 0.999, f"lowest cosine {cosines.min():.6f} on text {int(cosines.argmin())}"
    assert top_overlap(got, want) >= 0.98
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_queries_agree_with_torch_fp32(reference: Embedder, fast: Embedder) -> None:
    for query in QUERIES:
        got, want = fast.encode_query_uncached(query), reference.encode_query_uncached(query)
        assert got.shape == (fast.dimension,) == want.shape
        assert float(got @ want) >= 0.999, query[:40]
    assert fast.encode_query(QUERIES[0]) is fast.encode_query(QUERIES[0])  # cached


def test_graph_is_exported_once_and_reused(fast: Embedder) -> None:
    folder = model_folder(fast.model_name)
    encoder_dir = Path(os.environ["PLEDGES_ENCODER_DIR"])
    graph = exported_path(fast.model_name, folder, encoder_dir)
    assert graph.is_file()
    stamp = graph.stat().st_mtime_ns
    assert ensure_exported(fast.model_name, folder, encoder_dir) == graph
    assert graph.stat().st_mtime_ns == stamp
    assert not [p for p in encoder_dir.iterdir() if p.name.endswith(".tmp")]


def test_key_follows_the_model_files(tmp_path: Path) -> None:
    source = model_folder("all-MiniLM-L6-v2")
    copy = tmp_path / "model"
    for path in source.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    assert weights_key(copy) == weights_key(source)
    (copy / "config.json").unlink()
    (copy / "config.json").write_text((source / "config.json").read_text() + " ")
    assert weights_key(copy) != weights_key(source)


def test_racing_exports_leave_one_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writers that overlap never expose a partial file, and leave no temporary file behind."""
    import models.fast_encoder as fast_encoder

    whole = b"graph" * 200_000
    seen: list[int] = []

    def slow_export(model_dir: Path, target: Path) -> None:
        with target.open("wb") as out:
            for start in range(0, len(whole), len(whole) // 10):
                out.write(whole[start : start + len(whole) // 10])
                out.flush()
                time.sleep(0.01)

    monkeypatch.setattr(fast_encoder, "export_in_child", slow_export)
    folder = model_folder("all-MiniLM-L6-v2")
    target = exported_path("all-MiniLM-L6-v2", folder, tmp_path)
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            if target.exists():
                seen.append(len(target.read_bytes()))

    watcher = threading.Thread(target=reader)
    watcher.start()
    writers = [threading.Thread(target=ensure_exported, args=("all-MiniLM-L6-v2", folder, tmp_path)) for _ in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    watcher.join()
    assert target.read_bytes() == whole
    assert set(seen) <= {len(whole)}
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
