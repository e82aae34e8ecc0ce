"""`pledges eval`: relevance of every search mode on judged queries, as a table (or JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, TypeGuard

import typer
from rich.console import Console
from rich.table import Table

from models.schemas import SearchMode
from models.settings import get_settings

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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print nDCG@10, Recall@20, MRR@10 and P@5 per mode, overall and per query language."""
    from search_api.bench.relevance import MEASURES, evaluate, read_qrels, read_queries
    from search_api.service import SearchService

    names = [m.strip() for m in modes.split(",") if m.strip()]
    unknown = [m for m in names if not is_mode(m)]
    if unknown:
        raise typer.BadParameter(f"unknown mode(s) {', '.join(unknown)}; choose from {', '.join(MODES)}")
    chosen = [m for m in names if is_mode(m)]
    settings = get_settings()
    service = SearchService(settings)
    try:
        rows = evaluate(service.search, read_queries(queries), read_qrels(qrels), chosen)
    finally:
        service.close()
    if as_json:
        typer.echo(json.dumps({"store": str(settings.data_dir), "rows": rows}, indent=2))
        return
    table = Table(title=f"Relevance on {queries.name} ({settings.backend} store {settings.data_dir})")
    for column in ("mode", "language", "queries", *MEASURES):
        table.add_column(column, justify="right" if column not in ("mode", "language") else "left")
    for row in rows:
        table.add_row(
            *(
                str(row[c]) if not isinstance(row[c], float) else f"{row[c]:.3f}"
                for c in ("mode", "language", "queries", *MEASURES)
            )
        )
    Console().print(table)
