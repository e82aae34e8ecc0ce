"""`pledges index` (files -> normalised, embedded records in the store, with a report) and `pledges show`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.settings import Settings, get_settings
from search_api.cli.output import fail, open_service

if TYPE_CHECKING:
    from indexer.pipeline import RunReport
    from models.schemas import Pledge

REJECTS_FILENAME = "rejects.jsonl"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("index")(index)
    app.command("show")(show)


def bundled_corpus() -> Path:
    """data/corpus of the working directory, else of the source checkout this package runs from."""
    candidates = [Path.cwd() / "data" / "corpus", Path(__file__).resolve().parents[2] / "data" / "corpus"]
    return next((c for c in candidates if c.is_dir()), candidates[0])


def index(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="JSON Lines, CSV webform exports or webform text views; files or folders "
            "(default: the bundled corpus, data/corpus/).",
            show_default=False,
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help="Where to write the rejected records, one JSON object a line "
            "(default: <PLEDGES_DATA_DIR>/rejects.jsonl; overwritten each run).",
        ),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size", min=1, help="Records per committed transaction (default: PLEDGES_INDEX_BATCH_SIZE)."
        ),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON, not a table.")] = False,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="OpenSearch only: index into a new index generation while searches keep reading the "
            "current one, check its count against the report, move the alias to it in one step "
            "and delete the old one; a failed rebuild deletes the new generation and leaves the "
            "alias where it was. Also how to move to another embedding model or index schema. "
            "Refused on the embedded engine (exit 2).",
        ),
    ] = False,
) -> None:
    """Normalise, embed and store pledges; report read = indexed + unchanged + rejected.

    Exit code 1 when any record was rejected (every rejection is listed), 2 when the store fails.
    """
    from search_api.backends.base import BackendError

    settings = get_settings()
    targets = list(paths) if paths else [bundled_corpus()]
    rejects_path = rejects or settings.data_dir / REJECTS_FILENAME
    if rebuild:
        _rebuild(settings, targets, rejects_path, progress, batch_size, as_json)
    quiet_model_loading()
    service = open_service(settings)
    try:
        report = service.index_paths(
            targets, rejects_path=rejects_path, progress=progress, batch_size=batch_size or settings.index_batch_size
        )
    except BackendError as exc:  # batches committed before the failure stay; a re-run skips them
        fail(f"The store failed while indexing: {exc}", code=2)
    finally:
        service.close()
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print_report(report, targets, settings)
    raise typer.Exit(1 if report.rejected else 0)


def _rebuild(
    settings: Settings, targets: list[Path], rejects_path: Path, progress: bool, batch_size: int | None, as_json: bool
) -> NoReturn:
    """`pledges index --rebuild`: a new generation filled, checked and swapped in (SearchService.rebuild_paths)."""
    from search_api.backends.base import BackendError
    from search_api.backends.factory import create_backend
    from search_api.service import SearchService

    if settings.backend != "opensearch":
        fail(
            f"--rebuild is for the OpenSearch engine (index generations behind an alias); the {settings.backend} "
            "store commits each batch atomically and is not rebuilt: run `pledges index` without --rebuild "
            "(unchanged records are skipped), or index into an empty PLEDGES_DATA_DIR.",
            code=2,
        )
    quiet_model_loading()
    try:  # whatever model or schema built the current index: the rebuild replaces it
        service = SearchService(
            settings, backend=create_backend(settings, model_name=settings.embedding_model, check_stored=False)
        )
    except BackendError as exc:
        fail(str(exc))
    try:
        before = service.backend.count()
        report, rebuilt = service.rebuild_paths(
            targets, rejects_path=rejects_path, progress=progress, batch_size=batch_size or settings.index_batch_size
        )
    except BackendError as exc:
        fail(f"The rebuild failed; searches still read the index they read before: {exc}", code=2)
    finally:
        service.close()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    **report.model_dump(mode="json"),
                    "rebuild": {
                        "alias": settings.opensearch_index,
                        "generation": rebuilt.generation,
                        "replaced": rebuilt.replaced,
                        "count": rebuilt.count,
                        "count_before": before,
                    },
                },
                indent=2,
            )
        )
    else:
        _print_report(report, targets, settings)
        Console(highlight=False).print(
            f"rebuilt: the alias {settings.opensearch_index!r} now names {rebuilt.generation} ({rebuilt.count} "
            f"records, was {before}); deleted {', '.join(rebuilt.replaced) or 'nothing'}",
            soft_wrap=True,
        )
    raise typer.Exit(1 if report.rejected else 0)


def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Record id, e.g. sub-2291.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the normalised record as JSON.")] = False,
) -> None:
    """Print one stored record, normalised."""
    from search_api.backends.base import BackendError
    from search_api.service import NotFound

    settings = get_settings()
    service = open_service(settings)
    try:
        pledge = service.get(record_id)
    except BackendError as exc:
        fail(str(exc), code=2)
    except NotFound:
        fail(
            f"No record with id {record_id!r} in the {settings.backend} store at {_where(settings)}. "
            "Run `pledges index` first, or check the id (e.g. sub-2291).",
            code=1,
        )
    finally:
        service.close()
    if as_json:
        typer.echo(pledge.model_dump_json(indent=2))
        return
    Console(highlight=False).print(_render_pledge(pledge))


def quiet_model_loading() -> None:
    """The report says what was embedded; the model's loading bar and its tokenizer's warning about long
    texts (which the embedder chunks, see models/embedder.py) would only clutter it."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def _where(settings: Settings) -> str:
    return str(settings.data_dir) if settings.backend == "embedded" else str(settings.opensearch_url)


def _print_report(report: RunReport, targets: list[Path], settings: Settings) -> None:
    console = Console(highlight=False)
    table = Table(
        title=f"pledges index: {', '.join(str(t) for t in targets)} -> {settings.backend} store at {_where(settings)}",
        title_justify="left",
    )
    for column in ("read", "indexed", "unchanged", "rejected", "merged", "embedded", "chunks", "seconds"):
        table.add_column(column, justify="right")
    table.add_row(
        *(
            str(getattr(report, c))
            for c in ("read", "indexed", "unchanged", "rejected", "merged", "embedded", "chunks", "seconds")
        )
    )
    console.print(table)
    console.print(
        f"read {report.read} = indexed {report.indexed} + unchanged {report.unchanged} + rejected "
        f"{report.rejected}"
        + (f" ({report.merged} duplicate id(s) merged, the later read kept)" if report.merged else ""),
        soft_wrap=True,
    )
    if report.embedded and report.embed_seconds:
        console.print(
            f"embedded {report.embedded} texts ({report.chunks} model windows) in "
            f"{report.embed_seconds:.1f} s: {report.embedded / report.embed_seconds:.1f} texts/s, "
            f"{report.chunks / report.embed_seconds:.1f} windows/s"
        )
    if report.indexed + report.unchanged:
        console.print(
            f"suggested objectives for {report.indexed + report.unchanged} records in {report.tag_seconds:.2f} s"
        )
    console.print(f"rejected {report.rejected}", style="bold red" if report.rejected else None)
    for r in report.rejections:
        where = f"{r.source}:{r.line}" if r.line is not None else r.source
        field = f" [{r.field}]" if r.field else ""
        record = f" ({r.record_id})" if r.record_id else ""
        console.print(f"  {where}{record}{field} {r.reason}", markup=False, soft_wrap=True)
    if report.rejects_path:
        console.print(f"rejects file: {report.rejects_path}", soft_wrap=True)


def _render_pledge(pledge: Pledge) -> Table:
    """Two columns, field and value, with the taxonomy's English labels beside the codes."""
    from models.taxonomy import ENTITY_TYPES, NATURES, PRINCIPLES, objective_label

    table = Table(show_header=False, title=pledge.title, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    if pledge.synthetic:
        table.add_row("SYNTHETIC", "[bold red]invented test record: not a real pledge[/]")
    data = pledge.model_dump(mode="json")
    data = {"id": data.pop("id"), **data}
    labels = {
        "entity_type": lambda v: f"{ENTITY_TYPES[v].label('en')} ({v})" if v in ENTITY_TYPES else v,
        "objectives": lambda v: "\n".join(objective_label(n) for n in v),
        "suggested_objectives": lambda v: "\n".join(
            f"{objective_label(s['objective'])} (suggested, confidence {s['confidence']:.2f})" for s in v
        ),
        "principles": lambda v: "; ".join(PRINCIPLES[c].label("en") if c in PRINCIPLES else c for c in v),
        "nature": lambda v: "; ".join(NATURES[c].label("en") if c in NATURES else c for c in v),
    }
    for name, value in data.items():
        if value in (None, [], "") or name == "title":
            continue
        shown = labels[name](value) if name in labels else value
        if isinstance(shown, list):
            shown = ", ".join(str(v) for v in shown)
        table.add_row(name, escape(str(shown)))
    return table
