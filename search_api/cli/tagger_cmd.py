"""`pledges eval-tagger` (the objective tagger measured with declared objectives held out, beside the baseline)
and `pledges train-tagger` (fit the tagger that ships in models/objective_tagger.npz)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    import numpy as np

    from models.schemas import Pledge

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="JSON Lines (or other indexer inputs) whose records declare objectives (default: the shared data's "
        "pledges, practices and synthetic pledges when ../shared/data is present, else data/corpus/).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    """Add `pledges eval-tagger` and `pledges train-tagger`."""
    app.command("eval-tagger")(eval_tagger)
    app.command("train-tagger")(train_tagger)


def _paths(paths: list[Path] | None) -> list[Path]:
    from search_api.bench.corpus import base_paths

    chosen = list(paths) if paths else base_paths()[0]
    missing = [str(p) for p in chosen if not p.exists()]
    if missing:
        raise typer.BadParameter(f"not found: {', '.join(missing)}")
    return chosen


def _vectors(records: list[Pledge]) -> np.ndarray:
    """The records' embeddings through the store's embedding cache (nothing embedded twice)."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import numpy as np

    from indexer.embedding_cache import CachedEmbedder
    from indexer.text import embedding_text
    from models.embedder import Embedder
    from models.settings import get_settings
    from search_api.service import embedding_cache_path

    settings = get_settings()
    embedder = Embedder(
        settings.embedding_model, runtime=settings.embedding_backend, batch_size=settings.embedding_batch_size
    )
    cached = CachedEmbedder(embedder, embedding_cache_path(settings))
    try:
        return np.asarray(cached.encode_documents([embedding_text(p) for p in records]), dtype=np.float32)
    finally:
        cached.close()


def eval_tagger(
    paths: PathsArg = None,
    folds: Annotated[int, typer.Option(min=2, help="Number of folds.")] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the fold split.")] = 0,
    methods: Annotated[
        str, typer.Option(help="Comma-separated: centroid, profiles, tagger.")
    ] = "centroid,profiles,tagger",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Cross-validate objective suggestions on records that declare objectives (labels held out): P@1, P@3,
    micro precision / recall / F1 of the stored suggestions, real and synthetic records apart; recall per
    objective; how often a suggestion of each confidence is right."""
    from search_api.bench.tagger_eval import METHODS, evaluate, read_declared

    chosen = [m.strip() for m in methods.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in METHODS]
    if unknown or not chosen:
        raise typer.BadParameter(f"unknown method(s) {', '.join(unknown)}; choose from {', '.join(METHODS)}")
    files = _paths(paths)
    records = read_declared(files)
    if len(records) < folds:
        raise typer.BadParameter(f"{len(records)} records declare objectives: too few for {folds} folds")
    result = evaluate(records, _vectors(records), folds=folds, seed=seed, methods=chosen)
    result["files"] = [str(f) for f in files]
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    _print(result)


def _print(result: dict[str, Any]) -> None:
    console = Console(highlight=False)
    table = Table(
        title=f"Objective suggestions, {result['folds']}-fold, declared objectives held out\n"
        f"({result['records']} records, {result['real']} real)",
        title_justify="left",
    )
    for column in ("method", "subset", "records", "P@1", "P@3", "precision", "recall", "micro-F1"):
        table.add_column(column, justify="left" if column in ("method", "subset") else "right")
    previous = None
    for row in result["rows"]:
        if previous is not None and row["method"] != previous:
            table.add_section()
        previous = row["method"]
        table.add_row(
            row["method"],
            row["subset"].replace("synthetic", "syn."),
            str(row["records"]),
            *(f"{row[c]:.3f}" for c in ("P@1", "P@3", "precision", "recall", "micro-F1")),
        )
    console.print(table)
    methods = [m for m in ("centroid", "profiles", "tagger") if any(r["method"] == m for r in result["rows"])]
    recall = Table(
        title="Recall per objective\n(share of the records declaring it that get it suggested)", title_justify="left"
    )
    for column in ("objective", "declared", "real", *methods):
        recall.add_column(column, justify="right")
    for row in result["per_objective"]:
        recall.add_row(
            str(row["objective"]),
            str(row["declared"]),
            str(row["declared_real"]),
            *("-" if row[m] is None else f"{row[m]:.2f}" for m in methods),
        )
    console.print(recall)
    if result["calibration"]:
        bands = Table(title="Calibration of the tagger's stored suggestions", title_justify="left")
        for column in ("confidence", "suggestions", "mean confidence", "declared share"):
            bands.add_column(column, justify="right")
        for row in result["calibration"]:
            bands.add_row(
                row["band"],
                str(row["suggestions"]),
                *("-" if row[c] is None else f"{row[c]:.2f}" for c in ("mean_confidence", "declared_share")),
            )
        console.print(bands)


def train_tagger(
    paths: PathsArg = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write the tagger (default: the shipped models/objective_tagger.npz).")
    ] = None,
) -> None:
    """Fit the objective tagger on every record that declares objectives (plus the objective profiles) and
    write it; `pledges index` and PUT then suggest with it."""
    from models.tagger import MODEL_PATH, ObjectiveTagger, record_text
    from models.tagger_text import read_document
    from search_api.bench.tagger_eval import read_declared

    files = _paths(paths)
    records = read_declared(files)
    tagger = ObjectiveTagger.fit(
        [read_document(record_text(r), r.language) for r in records], [r.objectives for r in records]
    )
    target = out or MODEL_PATH
    tagger.save(target)
    real = sum(not r.synthetic for r in records)
    typer.echo(
        f"fitted on {len(records)} records ({real} real) and the 23 objective profiles: "
        f"{len(tagger.vocabulary)} words, calibration a={tagger.calibration[0]:.3f} "
        f"b={tagger.calibration[1]:.3f}; written to {target}"
    )
