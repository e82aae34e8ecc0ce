"""`pledges bench`: indexing and query speed of the embedded engine at several sizes, beside references."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

TARGET = 2.0  # hybrid p95 under TARGET x (query encoding p95 + brute-force kNN p95)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("bench")(bench)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "").replace("k", "000")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter(f"--docs takes sizes such as 1000,10000,100000, not {text!r}") from None
    if not sizes or sizes[0] < 10:
        raise typer.BadParameter("each size must be at least 10 records")
    return sizes


def bench_queries(count: int, base) -> list[str]:
    """Distinct queries: the shared dev queries when present, then short titles of base records."""
    root = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_queries.jsonl"
    queries: list[str] = []
    if root.exists():
        queries += [json.loads(line)["text"] for line in root.read_text().splitlines() if line.strip()]
    queries += [" ".join(p.title.split()[:6]) for p in base.records]
    return list(dict.fromkeys(q for q in queries if q.strip()))[:count]


def bench(
    docs: Annotated[
        str, typer.Option(help="Corpus sizes, comma-separated (1k, 10k ... accepted).")
    ] = "1000,10000,100000",
    queries: Annotated[int, typer.Option(min=5, help="Distinct queries timed per operation and size.")] = 60,
    batch_size: Annotated[int, typer.Option(min=1, help="Records per committed batch while indexing.")] = 1000,
    embed_sample: Annotated[int, typer.Option(min=4, help="Real texts embedded to time the model.")] = 48,
    workdir: Annotated[Path | None, typer.Option(help="Where the temporary stores go (default: a temp dir).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    backend: Annotated[
        str,
        typer.Option(
            "--backend",
            help="Engines to time, comma-separated: embedded, opensearch (an index pledges-bench-<docs> on "
            "PLEDGES_OPENSEARCH_URL, dropped afterwards), or both, side by side per size.",
        ),
    ] = "embedded",
) -> None:
    """Build synthetic corpora (recombined real texts, perturbed real vectors), index and time them.

    Reports indexing throughput (embedding and writing apart), store size, peak memory (OpenSearch: the node's
    resident memory and JVM heap) and latency p50/p95/p99 per operation, beside numpy brute-force kNN, bm25s and
    one raw sentence-transformers encode."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from indexer.embedding_cache import CachedEmbedder
    from models.embedder import Embedder
    from models.settings import get_settings
    from search_api.bench.corpus import Synthesiser, load_base
    from search_api.bench.measure import bench_size, embedding_rate
    from search_api.service import embedding_cache_path

    sizes = _sizes(docs)
    settings = get_settings()
    engines = [e.strip() for e in backend.split(",") if e.strip()]
    if not engines or any(e not in ("embedded", "opensearch") for e in engines):
        raise typer.BadParameter(f"--backend takes embedded, opensearch or both, not {backend!r}")
    if "opensearch" in engines and not settings.opensearch_url:
        raise typer.BadParameter("--backend opensearch needs PLEDGES_OPENSEARCH_URL (make opensearch starts a node)")
    console = Console(stderr=True, highlight=False)
    embedder = Embedder(
        settings.embedding_model, runtime=settings.embedding_backend, batch_size=settings.embedding_batch_size
    )
    cached = CachedEmbedder(embedder, embedding_cache_path(settings))
    console.print("[dim]embedding the base records (cached after the first run)…[/]")
    base = load_base(cached)
    cached.close()
    from indexer.text import embedding_text

    rate = embedding_rate(embedder, [embedding_text(p) for p in base.records[:embed_sample]])
    query_texts = bench_queries(queries, base)
    synth = Synthesiser(base)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for size in sizes:
            for engine in engines:
                console.print(f"[dim]{size} records, {engine}: building, indexing, timing…[/]")
                results.append(
                    bench_size(
                        size,
                        synth,
                        embedder,
                        query_texts,
                        Path(tmp),
                        batch_size,
                        embedder.model_name,
                        engine,
                        settings.opensearch_url,
                    )
                )
    report = {
        "base": {"records": len(base.records), "source": base.source},
        "model": embedder.model_name,
        "runtime": settings.embedding_backend,
        "embedding": rate,
        "queries": len(query_texts),
        "cpus": os.cpu_count(),
        "sizes": results,
    }
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    render(report)


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _mb(now: float | None, most: float | None) -> str:
    """`now (most)` in MB, or a dash where the engine is this process (the embedded one) or not measured."""
    if now is None:
        return "-"
    return f"{now:,.0f} ({most:,.0f})" if most is not None else f"{now:,.0f}"


def render(report: dict[str, Any]) -> None:
    """Three tables: indexing, latency with ratios to references, the references themselves."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=130)  # tables stay readable when piped into a file
    rate = report["embedding"]
    console.print(
        f"Base: {report['base']['records']} records from {report['base']['source']}; model "
        f"{report['model']} ({report['runtime']}) embeds {rate['per_s']:.1f} records/s "
        f"({rate['texts']} real texts, chunked); {report['queries']} distinct queries; "
        f"{report['cpus']} CPUs."
    )
    index = Table(title="Indexing (synthetic corpora: recombined texts, perturbed real vectors)", title_justify="left")
    for column in (
        "engine",
        "docs",
        "generate s",
        "write s",
        "write rec/s",
        "embed rec/s",
        "embed would take",
        "open s",
        "store MB",
        "peak RSS MB",
        "server RSS MB (peak)",
        "heap MB (max)",
    ):
        index.add_column(column, justify="left" if column == "engine" else "right")
    for size in report["sizes"]:
        hours = size["docs"] / rate["per_s"] / 3600
        memory = size.get("memory") or {}
        index.add_row(
            size.get("engine", "embedded"),
            f"{size['docs']:,}",
            f"{size['build_s']:.1f}",
            f"{size['write_s']:.1f}",
            f"{size['write_per_s']:,.0f}",
            f"{rate['per_s']:.1f}",
            f"{hours * 60:.0f} min" if hours < 1 else f"{hours:.1f} h",
            f"{size['load_s']:.2f}",
            f"{size['store_mb']:.1f}",
            f"{size['peak_rss_mb']:.0f}",
            _mb(memory.get("engine_rss_mb"), memory.get("engine_peak_rss_mb")),
            _mb(memory.get("heap_used_mb"), memory.get("heap_max_mb")),
        )
    console.print(index)
    latency = Table(title="Latency per call, ms (ratio: p95 over the reference's p95)", title_justify="left")
    for column in ("engine", "docs", "operation", "p50", "p95", "p99", "reference", "ratio"):
        latency.add_column(column, justify="left" if column in ("engine", "operation", "reference") else "right")
    for size in report["sizes"]:
        refs = size["references"]
        floor = refs["encode"]["p95"] + refs["knn"]["p95"]
        reference_of = {
            "keyword": ("bm25s", refs["bm25s"]["p95"]) if "bm25s" in refs else ("", 0.0),
            "semantic": ("encode + kNN", floor),
            "hybrid": ("encode + kNN", floor),
            "hybrid, no facets": ("encode + kNN", floor),
            "hybrid + filter": ("encode + kNN", floor),
            "similar": ("kNN", refs["knn"]["p95"]),
        }
        for op, stats in size["ops"].items():
            name, value = reference_of.get(op, ("", 0.0))
            ratio = stats["p95"] / value if value else None
            mark = ""
            if op == "hybrid" and ratio is not None:
                mark = " [green]✓[/]" if ratio < TARGET else " [red]✗[/]"
            latency.add_row(
                size.get("engine", "embedded"),
                f"{size['docs']:,}",
                op,
                _ms(stats["p50"]),
                _ms(stats["p95"]),
                _ms(stats["p99"]),
                name,
                (f"{ratio:.2f}x" if ratio is not None else "") + mark,
            )
        for name in [n for n in ("encode", "knn", "bm25s") if n in refs]:
            stats = refs[name]
            label = {"encode": "ref: encode 1 query", "knn": "ref: numpy kNN", "bm25s": "ref: bm25s"}[name]
            latency.add_row("", "", f"[dim]{label}[/]", _ms(stats["p50"]), _ms(stats["p95"]), _ms(stats["p99"]), "", "")
    console.print(latency)
    vectors = Table(title="Nearest neighbours: how, memory, recall@10 against exact numpy", title_justify="left")
    columns = (
        *("engine", "docs", "search", "matrix MB", "lists MB"),
        *("recall@10", "recall@10, filter", "peak RSS MB, store only"),
    )
    for column in columns:
        vectors.add_column(column, justify="left" if column in ("engine", "search") else "right")
    for size in report["sizes"]:
        v = size.get("vectors") or {}
        vectors.add_row(
            size.get("engine", "embedded"),
            f"{size['docs']:,}",
            v.get("search", "k-NN plugin"),
            f"{v['matrix_mb']:,.0f}" if "matrix_mb" in v else "-",
            f"{v['lists_mb']:,.0f}" if "lists_mb" in v else "-",
            f"{v['recall_at_10']:.4f}" if "recall_at_10" in v else "-",
            f"{v['recall_at_10_filtered']:.4f}" if v.get("recall_at_10_filtered") is not None else "-",
            f"{size['store_rss_mb']:,.0f}" if "store_rss_mb" in size else "-",
        )
    console.print(vectors)
    console.print(
        f"Target: hybrid p95 under {TARGET:.0f}x (encode p95 + kNN p95). bm25s index build: "
        + ", ".join(
            f"{s['docs']:,}: {s['references']['bm25s_build_s']:.1f} s"
            for s in report["sizes"]
            if s.get("engine", "embedded") == report["sizes"][0].get("engine", "embedded")
            and s["references"].get("bm25s_build_s") is not None
        )
    )
