"""Faithfulness and speed of each embedding runtime on the evaluation corpus, as a table (or JSON).

For every runtime: documents embedded per second (long texts in several windows, as the indexer embeds them:
title + description + entity), windows per second, CPU seconds, one-query encode p50/p95 (uncached), and, against
torch fp32 (the reference), the lowest and median cosine over all texts and the mean top-10 neighbour overlap.
Timings are medians of `--repeats` runs; on a shared machine they move, the agreement figures do not.

    python -m bench.encoders [--runtimes torch,onnx,...] [--repeats 3] [--threads N] [--json] [FILES...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEFAULT_FILES = [SHARED / "data" / name for name in ("pledges.jsonl", "practices.jsonl", "synthetic_pledges.jsonl")]
DEFAULT_QUERIES = SHARED / "eval" / "dev_queries.jsonl"
REFERENCE = "torch"


def corpus_texts(paths: list[Path]) -> list[str]:
    """What the indexer embeds for each record of these files (the later of two records with one id wins)."""
    from indexer.errors import RecordError
    from indexer.normalise import normalise_record
    from indexer.sources import read_paths
    from indexer.text import embedding_text
    from models.schemas import Rejection

    texts: dict[str, str] = {}
    for item in read_paths(paths):
        if isinstance(item, Rejection):
            continue
        try:
            pledge = normalise_record(item.data, item.source, item.line, redact=item.redact)
        except RecordError:
            continue
        texts[pledge.id] = embedding_text(pledge)
    return list(texts.values())


def query_texts(path: Path, texts: list[str]) -> list[str]:
    """The judged queries, and titles as more short queries (at least 100 in all)."""
    queries = (
        [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if path.exists()
        else []
    )
    titles = [t.split("\n", 1)[0][:120] for t in texts]
    return queries + titles[: max(0, 100 - len(queries))]


def measure(
    runtime: str, texts: list[str], queries: list[str], repeats: int, encoder_dir: Path, batch_size: int
) -> tuple[dict[str, Any], np.ndarray]:
    """Load, embed the corpus `repeats` times and encode every query once (after one warm-up pass)."""
    from models.embedder import Embedder

    started = time.perf_counter()
    embedder = Embedder(runtime=runtime, encoder_dir=encoder_dir, batch_size=batch_size)
    embedder.load()
    load_s = time.perf_counter() - started
    for q in queries:  # first sight of each input length costs some runtimes a kernel choice: not per query
        embedder.encode_query_uncached(q)
    walls, cpus = [], []
    vectors, windows = np.zeros((0, 0), np.float32), 0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        vectors, windows = embedder.encode_documents_counted(texts)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        embedder.encode_query_uncached(q)
        latencies.append((time.perf_counter() - t0) * 1000)
    wall_s, cpu_s = statistics.median(walls), statistics.median(cpus)
    row = {
        "runtime": runtime,
        "texts": len(texts),
        "windows": windows,
        "load_s": round(load_s, 2),
        "wall_s": round(wall_s, 2),
        "wall_runs_s": [round(w, 2) for w in walls],
        "cpu_s": round(cpu_s, 2),
        "texts_per_s": round(len(texts) / wall_s, 1),
        "windows_per_s": round(windows / wall_s, 1),
        "query_p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "query_p95_ms": round(float(np.percentile(latencies, 95)), 2),
    }
    return row, vectors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.encoders", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES, help="JSONL corpus files")
    parser.add_argument("--runtimes", default="torch,torch-bf16,onnx,openvino,openvino-bf16")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", action="store_true", dest="as_json")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    missing = [str(p) for p in args.files if not p.exists()]
    if missing:
        print(f"missing corpus files: {', '.join(missing)}", file=sys.stderr)
        return 2
    texts = corpus_texts(args.files)
    queries = query_texts(args.queries, texts)
    runtimes = [r.strip() for r in args.runtimes.split(",") if r.strip()]
    if REFERENCE not in runtimes:
        runtimes.insert(0, REFERENCE)
    rows, vectors = [], {}
    with tempfile.TemporaryDirectory() as encoder_dir:  # exports are timed in load_s, not read from a store
        for runtime in runtimes:
            print(f"{runtime}: {len(texts)} texts x {args.repeats}, {len(queries)} queries…", file=sys.stderr)
            try:
                row, vectors[runtime] = measure(
                    runtime, texts, queries, args.repeats, Path(encoder_dir), args.batch_size
                )
            except ImportError as exc:
                print(f"{runtime}: skipped ({exc})", file=sys.stderr)
                continue
            rows.append(row)
    from search_api.bench.faithfulness import top_overlap

    for row in rows:
        cosines = np.sum(vectors[row["runtime"]] * vectors[REFERENCE], axis=1)
        row["min_cosine"] = round(float(cosines.min()), 6)
        row["median_cosine"] = round(float(np.median(cosines)), 6)
        row["top10_overlap"] = round(top_overlap(vectors[row["runtime"]], vectors[REFERENCE]), 4)
    report = {"cpus": os.cpu_count(), "load_average": os.getloadavg(), "repeats": args.repeats, "rows": rows}
    if args.as_json:
        print(json.dumps(report, indent=2))
    else:
        render(report)
    return 0


def render(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    first = report["rows"][0] if report["rows"] else {"texts": 0, "windows": 0}
    table = Table(
        title=f"Embedding runtimes: {first['texts']} texts, {first['windows']} windows; "
        f"{report['cpus']} CPUs, load average {report['load_average'][0]:.1f}; medians of "
        f"{report['repeats']} runs",
        title_justify="left",
    )
    columns = (
        "runtime",
        "texts/s",
        "windows/s",
        "cpu s",
        "query p50 ms",
        "query p95 ms",
        "min cosine",
        "median cosine",
        "top-10 overlap",
        "load s",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "runtime" else "right")
    for r in report["rows"]:
        table.add_row(
            r["runtime"],
            f"{r['texts_per_s']:.1f}",
            f"{r['windows_per_s']:.1f}",
            f"{r['cpu_s']:.1f}",
            f"{r['query_p50_ms']:.2f}",
            f"{r['query_p95_ms']:.2f}",
            f"{r['min_cosine']:.6f}",
            f"{r['median_cosine']:.6f}",
            f"{r['top10_overlap']:.4f}",
            f"{r['load_s']:.1f}",
        )
    Console(highlight=False, width=160).print(table)


if __name__ == "__main__":
    raise SystemExit(main())
