"""Search, facets and CSV export: the read side a user browses."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterable, Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from models.schemas import FacetsResponse, Pledge, SearchResponse
from search_api.core.labels import country_name
from search_api.http.deps import FacetSizeParam, FiltersDep, LangParam, SearchRequestDep, ServiceDep
from search_api.http.errors import error_responses

log = logging.getLogger("search_api")
router = APIRouter(tags=["search"])

EXPORT_COLUMNS = (
    "id",
    "collection",
    "title",
    "entity_name",
    "entity_type",
    "countries",
    "country_names",
    "regions",
    "objectives",
    "principles",
    "nature",
    "deadline",
    "language",
    "synthetic",
    "source_url",
    "description",
)
# What a spreadsheet may run as a formula at the start of a cell: the six OWASP characters, and the full-width
# forms of = + - @ that some spreadsheets fold to them.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A spreadsheet may split a cell wherever it meets its own separator (`,` `;` tab `|`, or a line break), so a
# formula character right after one of those (past spaces and an opening quote) starts a cell of its own:
# `;=1+1` is a formula in a French Excel that splits on `;`. Each such character gets a `'` before it.
_FORMULA_INSIDE = re.compile(r"([,;\t|\r\n][ \u00a0\"]*+)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])")


@router.get(
    "/search",
    response_model=SearchResponse,
    responses=error_responses(),
    summary="Search pledges, practices and local actions",
)
def search(request: SearchRequestDep, service: ServiceDep) -> SearchResponse:
    """One page of hits with highlighted snippets, the total, facet counts with labels and the time taken."""
    return service.search(request)


@router.get(
    "/facets",
    response_model=FacetsResponse,
    responses=error_responses(),
    summary="Facet counts for browsing without a query",
)
def facets(
    filters: FiltersDep, service: ServiceDep, lang: LangParam = "en", facet_size: FacetSizeParam = 30
) -> FacetsResponse:
    """Counts of every facet value over the whole corpus, or under filters, `facet_size` values per facet."""
    data = service.facets(filters, lang, facet_size)
    return FacetsResponse(data=data, count=len(data))


@router.get(
    "/export",
    response_class=StreamingResponse,
    summary="The current search as CSV",
    responses={
        200: {
            "description": "Every matching record (not one page), one row each.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **error_responses(),
    },
)
def export(request: SearchRequestDep, service: ServiceDep) -> StreamingResponse:
    """All records matching the search, streamed as CSV; `page` and `size` are ignored."""
    records = iter(service.export(request.model_copy(update={"facets": False})))
    first = next(records, None)  # engine errors surface here, before the headers are sent
    filename = f"pledges-{dt.date.today().isoformat()}.csv"
    return StreamingResponse(
        _csv_lines(first, records, request.lang),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _csv_lines(first: Pledge | None, rest: Iterable[Pledge], lang: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(EXPORT_COLUMNS)
    yield flush()
    if first is None:
        return
    try:
        for pledge in _chain(first, rest):
            writer.writerow(csv_row(pledge, lang))
            yield flush()
    except Exception:  # the status is sent already: log, and the client sees a truncated file
        log.exception("CSV export failed midway")
        raise


def _chain(first: Pledge, rest: Iterable[Pledge]) -> Iterator[Pledge]:
    yield first
    yield from rest


def csv_row(p: Pledge, lang: str = "en") -> list[str]:
    """One CSV row (country names in `lang`, the API's, as on cards and record pages); lists joined by '; ',
    and cells that a spreadsheet would run as a formula defused."""
    values = {
        "id": p.id,
        "collection": p.collection,
        "title": p.title,
        "entity_name": p.entity_name or "",
        "entity_type": p.entity_type or "",
        "countries": "; ".join(p.countries),
        "country_names": "; ".join(country_name(c, lang) for c in p.countries),
        "regions": "; ".join(p.regions),
        "objectives": "; ".join(str(o) for o in p.objectives),
        "principles": "; ".join(p.principles),
        "nature": "; ".join(p.nature),
        "deadline": p.deadline.isoformat() if p.deadline else "",
        "language": p.language,
        "synthetic": "true" if p.synthetic else "false",
        "source_url": p.source_url or "",
        "description": p.description,
    }
    return [_defuse(values[c]) for c in EXPORT_COLUMNS]


def _defuse(cell: str) -> str:
    """A cell no spreadsheet runs as a formula, whichever of `,` `;` tab or `|` it splits the file on: a `'`
    before a leading formula character (past spaces and quotes) and before one that follows a separator."""
    cell = _FORMULA_INSIDE.sub(r"\1'", cell)
    return "'" + cell if cell.lstrip(' \u00a0"').startswith(_FORMULA_STARTS) else cell
