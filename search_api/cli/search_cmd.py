"""`pledges search` and `pledges similar`: the search service from a terminal, as tables or JSON."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from models.params import FILTER_PARAMS, FilterError, grouped, read_filters
from models.schemas import Filters, SearchRequest
from search_api.cli.output import fail, open_service

if TYPE_CHECKING:
    from search_api.service import SearchService

SYNTHETIC = "[bold magenta]SYNTHETIC[/]"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("search")(search)
    app.command("similar")(similar)


def parse_filters(pairs: list[str]) -> Filters:
    """`FIELD=VALUE` pairs as Filters (models.params, as the API reads them): repeated fields are OR,
    different fields AND."""
    values: list[tuple[str, str]] = []
    for pair in pairs:
        field, sep, value = pair.partition("=")
        field = field.strip().replace("-", "_")
        if not sep or not value.strip():
            fail(f"--filter takes FIELD=VALUE, got {pair!r}.")
        if field not in FILTER_PARAMS:
            fail(f"Unknown filter field {field!r}. Filter on one of: {', '.join(FILTER_PARAMS)}.")
        values.append((field, value.strip()))
    try:
        return read_filters(grouped(values))
    except FilterError as exc:
        fail(f"Bad filter value: {exc.message}")


def rich_marked(text: str) -> str:
    """An HTML snippet with <mark>s as rich markup: marks in bold yellow, everything else literal."""
    parts = re.split(r"(<mark>.*?</mark>)", text)
    out = []
    for part in parts:
        if part.startswith("<mark>"):
            out.append(f"[bold yellow]{escape(html.unescape(part[6:-7]))}[/]")
        else:
            out.append(escape(html.unescape(part)))
    return "".join(out)


@contextmanager
def _open_service() -> Iterator[SearchService]:
    """The search service for one command, closed after it; exit 2 when the engine cannot start."""
    service = open_service()
    try:
        yield service
    finally:
        service.close()


def search(
    query: Annotated[str, typer.Argument(help="What to look for; any text (empty: browse, newest first).")] = "",
    mode: Annotated[str, typer.Option(help="keyword, semantic or hybrid.")] = "hybrid",
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            "-f",
            help=f"FIELD=VALUE, repeatable (same field: OR; fields: AND). Fields: {', '.join(FILTER_PARAMS)}.",
        ),
    ] = None,
    objective_scope: Annotated[
        str,
        typer.Option(
            "--objective-scope",
            help="Which objectives the objective filter and facet read: declared, suggested (by the tagger) or all.",
        ),
    ] = "declared",
    page: Annotated[int, typer.Option(min=1, help="Page number.")] = 1,
    size: Annotated[int, typer.Option(min=1, max=100, help="Hits per page.")] = 10,
    fusion: Annotated[str, typer.Option(help="Hybrid fusion: rrf or weighted.")] = "rrf",
    lang: Annotated[str, typer.Option(help="Language of labels: en, fr or es.")] = "en",
    facets: Annotated[bool, typer.Option(help="Show facet counts under the hits.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the response as JSON.")] = False,
) -> None:
    """Search pledges, practices and local actions. Synthetic (invented) records are marked SYNTHETIC."""
    if mode not in ("keyword", "semantic", "hybrid"):
        fail(f"--mode is keyword, semantic or hybrid, not {mode!r}.")
    try:
        request = SearchRequest(
            q=query,
            mode=mode,
            filters=parse_filters([*(filters or []), f"objective_scope={objective_scope}"]),
            page=page,
            size=size,
            fusion=fusion,
            lang=lang,
            facets=facets or as_json,
        )
    except ValueError as exc:
        fail(str(exc))
    with _open_service() as service:
        response = service.search(request)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    console = Console(highlight=False)
    first = (page - 1) * size + 1
    table = Table(
        title=f"{response.total} result(s) for {query!r} ({mode}), page {page}",
        title_justify="left",
        show_lines=True,
    )
    for column in ("#", "record", "entity / where", "objectives", "score"):
        table.add_column(column, justify="right" if column in ("#", "score") else "left")
    for n, hit in enumerate(response.hits, start=first):
        title = rich_marked(hit.title_highlighted or html.escape(hit.title))
        label = f"{SYNTHETIC} " if hit.synthetic else ""
        body = f"{label}[bold]{title}[/]\n[dim]{escape(hit.id)}[/]\n{rich_marked(hit.snippet)}"
        where = escape(", ".join(hit.country_names))
        entity = escape(f"{hit.entity_name or ''}\n({hit.entity_type_label or '?'})\n{where}")
        legs = [
            f"{name[0]} {value:.3g}"
            for name, value in (("keyword", hit.scores.keyword), ("semantic", hit.scores.semantic))
            if value is not None
        ]
        table.add_row(
            str(n),
            body,
            entity,
            ", ".join(map(str, hit.objectives)),
            "\n".join([f"{hit.scores.fused:.4g}", *legs]),
        )
    console.print(table)
    if facets:
        for facet in response.facets:
            if facet.values:
                shown = ", ".join(
                    f"{'[bold]' if v.selected else ''}{escape(v.label)} {v.count}{'[/]' if v.selected else ''}"
                    for v in facet.values[:8]
                )
                more = " …" if facet.truncated or len(facet.values) > 8 else ""
                console.print(f"[cyan]{facet.name}[/]: {shown}{more}")
    console.print(f"[dim]{response.took_ms:.1f} ms[/]")


def similar(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Record id, e.g. sub-2291.")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=100, help="How many neighbours.")] = 10,
    other_countries: Annotated[bool, typer.Option(help="Only records in none of its countries.")] = False,
    other_entities: Annotated[bool, typer.Option(help="Only records from other entities.")] = False,
    filters: Annotated[list[str] | None, typer.Option("--filter", "-f", help="FIELD=VALUE, as for search.")] = None,
    lang: Annotated[str, typer.Option(help="Language of reasons and labels: en, fr or es.")] = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print the neighbours as JSON.")] = False,
) -> None:
    """Records most like one record (by embedding), itself excluded, each with why."""
    from search_api.service import NotFound

    chosen = parse_filters(filters or [])
    with _open_service() as service:
        try:
            response = service.similar(
                record_id,
                k=k,
                other_countries=other_countries,
                other_entities=other_entities,
                filters=chosen,
                lang=lang,
            )
        except NotFound as exc:
            fail(str(exc), code=1)
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    table = Table(title=f"Records like {record_id}", title_justify="left", show_lines=True)
    for column in ("#", "record", "entity / where", "why"):
        table.add_column(column)
    for n, hit in enumerate(response.data, start=1):
        label = f"{SYNTHETIC} " if hit.synthetic else ""
        entity = escape(f"{hit.entity_name or ''}\n({hit.entity_type_label or '?'})\n{', '.join(hit.country_names)}")
        table.add_row(
            str(n),
            f"{label}[bold]{escape(hit.title)}[/]\n[dim]{escape(hit.id)}[/]",
            entity,
            escape("\n".join(hit.reasons)),
        )
    Console(highlight=False).print(table)
