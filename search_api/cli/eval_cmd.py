"""`pledges eval`: relevance of every search mode on judged queries, as a table (or JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, TypeGuard

import typer
from rich.console import Console
from rich.table import Table

from models.schemas import SearchMode
from models.settings import Settings, get_settings

MODES: tuple[SearchMode, ...] = ("keyword", "semantic", "hybrid")


def is_mode(name: str) -> TypeGuard[SearchMode]:
    """True when `name` is one of the search modes."""
    return name in MODES


def register(app: typer.Typer) -> None:
    """Add `pledges eval`."""
    app.command("eval")(eval_command)


def eval_command(
    queries: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Queries, JSON Lines.")],
    qrels: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Judgments, TREC format.")],
    modes: Annotated[str, typer.Option(help="Comma-separated modes.")] = ",".join(MODES),
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help="Engines to evaluate, comma-separated (embedded,opensearch: side by side in one run, "
            "each on its store as the PLEDGES_* settings name it; default: PLEDGES_BACKEND).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print nDCG@10, Recall@20, MRR@10 and P@5 per mode, overall and per query language (and per engine)."""
    from search_api.backends.base import BackendError
    from search_api.backends.factory import ENGINES
    from search_api.bench.relevance import evaluate, read_qrels, read_queries
    from search_api.cli.output import fail
    from search_api.service import SearchService

    names = [m.strip() for m in modes.split(",") if m.strip()]
    unknown = [m for m in names if not is_mode(m)]
    if unknown:
        raise typer.BadParameter(f"unknown mode(s) {', '.join(unknown)}; choose from {', '.join(MODES)}")
    chosen = [m for m in names if is_mode(m)]
    settings = get_settings()
    engines = [e.strip() for e in (backend or settings.backend).split(",") if e.strip()]
    if not engines or any(e not in ENGINES for e in engines):
        raise typer.BadParameter(f"--backend takes {', '.join(ENGINES)} (comma-separated), not {backend!r}")
    read, judged = read_queries(queries), read_qrels(qrels)
    rows: list[dict] = []
    stores: dict[str, str] = {}
    embedder = None  # one model for every engine: the same query vectors on both sides
    for engine in engines:
        engine_settings = settings.model_copy(update={"backend": engine})
        try:
            service = SearchService(engine_settings, embedder=embedder)
        except BackendError as exc:
            fail(str(exc))
        embedder = service.embedder
        try:
            count = service.backend.count()
            if count == 0:
                fail(f"The {engine} store at {_where(engine_settings)} is empty: index the judged corpus first.")
            rows += [{"engine": engine, **row} for row in evaluate(service.search, read, judged, chosen)]
        finally:
            service.close()
        stores[engine] = f"{_where(engine_settings)} ({count} records)"
    if as_json:
        typer.echo(json.dumps({"store": str(settings.data_dir), "stores": stores, "rows": rows}, indent=2))
        return
    render(rows, queries.name, stores)


def _where(settings: Settings) -> str:
    if settings.backend == "embedded":
        return str(settings.data_dir)
    return f"{settings.opensearch_url} index {settings.opensearch_index}"


def render(rows: list[dict], name: str, stores: dict[str, str]) -> None:
    """The measures per engine, mode and language; with two engines, nDCG@10 side by side."""
    from search_api.bench.relevance import MEASURES

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=130)
    several = len(stores) > 1
    table = Table(
        title=f"Relevance on {name} ({'; '.join(f'{e} store {w}' for e, w in stores.items())})", title_justify="left"
    )
    columns = (
        ("engine", "mode", "language", "queries", *MEASURES) if several else ("mode", "language", "queries", *MEASURES)
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("engine", "mode", "language") else "right")
    for row in rows:
        table.add_row(*(f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c]) for c in columns))
    console.print(table)
    if not several:
        return
    engines = list(stores)
    side = Table(title="nDCG@10 side by side", title_justify="left")
    for column in ("mode", "language", *engines, f"{engines[1]} - {engines[0]}"):
        side.add_column(column, justify="left" if column in ("mode", "language") else "right")
    by_key = {(r["engine"], r["mode"], r["language"]): r["nDCG@10"] for r in rows}
    for mode, language in dict.fromkeys((r["mode"], r["language"]) for r in rows):
        values = [by_key.get((e, mode, language)) for e in engines]
        delta = values[1] - values[0] if values[0] is not None and values[1] is not None else None
        side.add_row(
            mode,
            language,
            *(f"{v:.3f}" if v is not None else "" for v in values),
            f"{delta:+.3f}" if delta is not None else "",
        )
    console.print(side)
