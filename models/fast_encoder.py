"""The sentence-transformers model as one ONNX graph, run by ONNX Runtime or OpenVINO instead of torch.

The graph is exported once from the shipped weights with `torch.onnx.export` and holds the whole
sentence-transformers pipeline (transformer, the model's own pooling, normalisation), so it pools exactly as the
model declares. It is cached as `<encoder_dir>/<model>-<key>.onnx` (by default `<data_dir>/encoders/`), where the
key hashes the model folder's files, the torch version and the export format; a missing file is exported again.
The file is written under a temporary name and renamed, so two processes exporting at once each leave a whole
file. Loading the cached graph needs neither torch nor transformers: the tokenizer is the model's own fast
tokenizer (`tokenizer.json`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

EXPORT_FORMAT = "1"  # bump when the exported graph changes shape or meaning
OPSET = 17
Runner = Callable[[np.ndarray, np.ndarray], np.ndarray]


def weights_key(model_dir: Path) -> str:
    """sha256 over the model folder's files (names and bytes), the torch version and the export format."""
    digest = hashlib.sha256(f"format={EXPORT_FORMAT};torch={metadata.version('torch')}".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file() and ".cache" not in p.parts):
        digest.update(path.relative_to(model_dir).as_posix().encode())
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def exported_path(model_name: str, model_dir: Path, encoder_dir: Path) -> Path:
    """Where the graph of this model's weights is cached (it may not exist yet)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name.strip("/")).strip("_")[-60:] or "model"
    return encoder_dir / f"{slug}-{weights_key(model_dir)[:16]}.onnx"


def ensure_exported(model_name: str, model_dir: Path, encoder_dir: Path) -> Path:
    """The cached graph, exported first when it is missing."""
    target = exported_path(model_name, model_dir, encoder_dir)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
        os.close(handle)
        try:
            export_in_child(model_dir, Path(temp))
            os.chmod(temp, 0o644)  # mkstemp makes it private to its writer
            os.replace(temp, target)  # atomic: readers see no file or a whole one
        finally:
            Path(temp).unlink(missing_ok=True)
    return target


def export_in_child(model_dir: Path, target: Path) -> None:
    """`export_onnx` in a child process: torch and sentence-transformers (about 0.7 GB resident) are loaded
    there, not in the server or indexer that asked, which then runs on the graph alone."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run(
        [sys.executable, "-m", "models.fast_encoder", str(model_dir), str(target)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"exporting {model_dir} to ONNX failed:\n{done.stderr[-3000:]}")


def export_onnx(model_dir: Path, target: Path) -> None:
    """Trace the sentence-transformers model (token ids and mask in, normalised sentence vectors out)."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu").eval()

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            features = {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": torch.zeros_like(input_ids),
            }
            vectors = self.model(features)["sentence_embedding"]
            return torch.nn.functional.normalize(vectors, p=2.0, dim=1)

    sample = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
    axes = {
        "input_ids": {0: "batch", 1: "tokens"},
        "attention_mask": {0: "batch", 1: "tokens"},
        "embedding": {0: "batch"},
    }
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on Python branches it fixes (no causal mask)
        torch.onnx.export(
            Pipeline().eval(),
            sample,
            str(target),
            dynamo=False,
            opset_version=OPSET,
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes=axes,
        )


def onnxruntime_runner(path: Path, threads: int) -> tuple[Runner, int]:
    """ONNX Runtime on the CPU with `threads` intra-op threads; returns (run, vector length)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Idle threads sleep instead of spinning: on 2 shared cores a spinning thread steals the core its partner
    # (or a search) needs; measured here, spinning made 2 threads 2.5x slower than 1 under load.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.asarray(session.run(None, {"input_ids": ids, "attention_mask": mask})[0], dtype=np.float32)

    return run, int(session.get_outputs()[0].shape[1])


def openvino_runner(path: Path, threads: int, precision: str = "f32") -> tuple[Runner, int]:
    """OpenVINO on the CPU in `precision` (f32, or bf16 where the CPU has it); returns (run, vector length)."""
    try:
        import openvino as ov
    except ImportError as exc:
        raise ImportError("the openvino runtime needs `pip install -e '.[openvino]'` (make setup installs it)") from exc

    compiled = ov.Core().compile_model(
        str(path),
        "CPU",
        {"INFERENCE_NUM_THREADS": threads, "INFERENCE_PRECISION_HINT": precision, "PERFORMANCE_HINT": "LATENCY"},
    )
    output = compiled.output(0)
    local = threading.local()  # an infer request serves one call at a time: one per thread

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        request = getattr(local, "request", None)
        if request is None:
            request = local.request = compiled.create_infer_request()
        result: Any = request.infer({"input_ids": ids, "attention_mask": mask})[output]
        return np.array(result, dtype=np.float32)

    return run, int(output.get_partial_shape()[1].get_length())


RUNNERS: dict[str, Callable[[Path, int], tuple[Runner, int]]] = {
    "onnx": onnxruntime_runner,
    "openvino": openvino_runner,
    "openvino-bf16": partial(openvino_runner, precision="bf16"),
}


def max_sequence_length(model_dir: Path) -> int:
    """The model's window in tokens, special tokens included, as sentence-transformers reads it."""
    for name, key in (("sentence_bert_config.json", "max_seq_length"), ("config.json", "max_position_embeddings")):
        path = model_dir / name
        if path.exists():
            value = json.loads(path.read_text(encoding="utf-8")).get(key)
            if value:
                return int(value)
    raise RuntimeError(f"{model_dir} declares no maximum sequence length")


if __name__ == "__main__":  # the child of export_in_child: MODEL_DIR TARGET
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    export_onnx(Path(sys.argv[1]), Path(sys.argv[2]))
