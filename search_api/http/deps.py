"""Dependencies as `Annotated` aliases: the service and settings built once in the app's lifespan, the API key
check, and the query parameters shared by /search, /export, /facets and /similar.

Tests swap any of them with `app.dependency_overrides`. Each is `async def`, cheap and free of I/O: FastAPI
runs a plain `def` dependency in its thread pool, a hop through the event loop and a GIL handover each, and a
search had five of them before its endpoint (20 users: 158 -> 165-204 reads/s, 10.4 -> 8.1-9.8 ms CPU a read).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import secrets
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader
from pydantic import AfterValidator, BeforeValidator, Field, ValidationError

from models.limits import MAX_FILTER_VALUES
from models.params import FilterError, grouped, read_filters
from models.schemas import (
    MAX_QUERY_CHARS,
    Filters,
    FusionMethod,
    ObjectiveScope,
    SearchMode,
    SearchRequest,
    SortOrder,
    UiLanguage,
    plausible_date,
)
from models.settings import Settings
from models.taxonomy import OBJECTIVE_COUNT
from search_api.http.errors import API_KEY_HEADER, InvalidParameter, ServiceUnavailable, Unauthorized

if TYPE_CHECKING:
    from search_api.service import SearchService

MAX_FILTER_CHARS = 200


async def get_settings_dep(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings


async def get_service(request: Request) -> SearchService:
    """The one SearchService built in the lifespan; 503 when it could not start."""
    service = getattr(request.app.state, "service", None)
    if service is None:
        reason = getattr(request.app.state, "startup_error", None) or "the service is starting"
        raise ServiceUnavailable(f"The search service is not available: {reason}.")
    return service


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ServiceDep = Annotated["SearchService", Depends(get_service)]

_api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="Key that write endpoints require (the server's PLEDGES_API_KEY).",
)


async def require_api_key(settings: SettingsDep, key: Annotated[str | None, Security(_api_key_header)] = None) -> None:
    """401 unless X-API-Key matches the configured key; with no key configured, writes stay closed."""
    expected = settings.api_key.get_secret_value() if settings.api_key else ""
    if not expected:
        raise Unauthorized(
            "Write endpoints are disabled: PLEDGES_API_KEY is not set on the server.",
            API_KEY_HEADER,
            code="api_key_not_configured",
        )
    if not key:
        raise Unauthorized(f"This endpoint needs the {API_KEY_HEADER} header.", API_KEY_HEADER)
    if not secrets.compare_digest(key.encode("utf-8"), expected.encode("utf-8")):
        raise Unauthorized(f"The {API_KEY_HEADER} header does not hold the right key.", API_KEY_HEADER)


ApiKeyDep = Annotated[None, Depends(require_api_key)]

Text = Annotated[str, Field(max_length=MAX_FILTER_CHARS)]
Objective = Annotated[int, Field(ge=1, le=OBJECTIVE_COUNT)]


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would read `0` as 1970-01-01 (a Unix time)."""
    if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(plausible_date)]


def _values(description: str) -> object:
    return Query(
        description=f"{description} Repeat the parameter for several values (OR), at most {MAX_FILTER_VALUES}.",
        max_length=MAX_FILTER_VALUES,
    )


def _query_names(dependant: Any) -> set[str]:
    """Every query parameter a route declares, its dependencies' included."""
    names: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        names.update(param.alias for param in current.query_params)
        stack.extend(current.dependencies)
    return names


async def reject_unknown_parameters(request: Request) -> None:
    """422 naming a query parameter the route does not know (`countri=FRA` would otherwise filter nothing and
    answer 200 as if the user had asked for everything)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _KNOWN_PARAMETERS.get(id(route))
    if known is None:
        known = _KNOWN_PARAMETERS[id(route)] = _query_names(dependant)
    for name in request.query_params:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = (
                f"; did you mean {close[0]}?"
                if close
                else (f"; this endpoint takes {', '.join(sorted(known))}" if known else "; this endpoint takes none")
            )
            raise InvalidParameter(f"{name[:60]}: unknown query parameter{hint}", name[:60])


_KNOWN_PARAMETERS: dict[int, set[str]] = {}


async def get_filters(
    collection: Annotated[list[Text], _values("pledge, practice or local_action.")] = [],  # noqa: B006
    objective: Annotated[list[Objective], _values("GCM objective, 1-23.")] = [],  # noqa: B006
    principle: Annotated[list[Text], _values("Guiding principle code (see /taxonomy).")] = [],  # noqa: B006
    country: Annotated[list[Text], _values("ISO 3166 alpha-3 code, or GLOBAL.")] = [],  # noqa: B006
    region: Annotated[list[Text], _values("UN M49 region (see /taxonomy).")] = [],  # noqa: B006
    subregion: Annotated[list[Text], _values("UN M49 sub-region (see /taxonomy).")] = [],  # noqa: B006
    entity_type: Annotated[list[Text], _values("Entity type code (see /taxonomy).")] = [],  # noqa: B006
    nature: Annotated[list[Text], _values("Nature code (see /taxonomy).")] = [],  # noqa: B006
    language: Annotated[list[Text], _values("ISO 639-1 language of the description.")] = [],  # noqa: B006
    synthetic: Annotated[
        bool | None, Query(description="true: only invented test records; false: only real ones; absent: both.")
    ] = None,
    objective_scope: Annotated[
        ObjectiveScope,
        Query(
            description="Which objectives `objective` and its facet read: declared (as published), suggested (by "
            "the tagger, with a confidence) or all."
        ),
    ] = "declared",
    deadline_from: Annotated[IsoDate | None, Query(description="Earliest deadline, YYYY-MM-DD (1900-2199).")] = None,
    deadline_to: Annotated[IsoDate | None, Query(description="Latest deadline, YYYY-MM-DD (1900-2199).")] = None,
) -> Filters:
    """The filters of a request (models.params reads them, as the UI and the CLI do): several values within a
    facet are OR, facets are AND."""
    lists: dict[str, list[str] | list[int]] = {
        "collection": collection,
        "objective": objective,
        "principle": principle,
        "country": country,
        "region": region,
        "subregion": subregion,
        "entity_type": entity_type,
        "nature": nature,
        "language": language,
    }
    pairs = [(name, str(value)) for name, values in lists.items() for value in values]
    if synthetic is not None:
        pairs.append(("synthetic", "true" if synthetic else "false"))
    pairs.append(("objective_scope", objective_scope))
    pairs += [
        (name, day.isoformat()) for name, day in (("deadline_from", deadline_from), ("deadline_to", deadline_to)) if day
    ]
    try:
        return read_filters(grouped(pairs))
    except FilterError as exc:
        raise InvalidParameter(exc.message, exc.field) from exc


FiltersDep = Annotated[Filters, Depends(get_filters)]
LangParam = Annotated[UiLanguage, Query(description="Language of taxonomy labels in the response.")]
FacetSizeParam = Annotated[
    int, Query(ge=1, le=300, description="Values shown per facet; a facet with more says `truncated`.")
]


async def get_search_request(
    settings: SettingsDep,
    filters: FiltersDep,
    q: Annotated[
        str,
        Query(
            description="Words to search; blank or absent browses everything. "
            f"At most the server's max_query_chars ({MAX_QUERY_CHARS} by default)."
        ),
    ] = "",
    mode: Annotated[SearchMode, Query(description="keyword (BM25), semantic or hybrid.")] = "hybrid",
    fusion: Annotated[FusionMethod, Query(description="How hybrid mode fuses its two legs.")] = "rrf",
    page: Annotated[
        int,
        Query(
            ge=1,
            description="1-based page number; page * size may not exceed the "
            "server's max_result_window (10000 by default).",
        ),
    ] = 1,
    size: Annotated[
        int, Query(ge=1, description="Hits per page, at most the server's max_page_size (100 by default).")
    ] = 10,
    sort: Annotated[SortOrder, Query(description="relevance, deadline, title or newest.")] = "relevance",
    lang: LangParam = "en",
    facets: Annotated[bool, Query(description="Compute facet counts (false is faster).")] = True,
    facet_size: FacetSizeParam = 30,
) -> SearchRequest:
    """One validated SearchRequest, with the limits taken from the settings."""
    if len(q) > settings.max_query_chars:
        raise InvalidParameter(f"q is {len(q)} characters; the limit is {settings.max_query_chars}.", "q")
    if size > settings.max_page_size:
        raise InvalidParameter(f"size is {size}; the largest page is {settings.max_page_size}.", "size")
    if page * size > settings.max_result_window:
        raise InvalidParameter(
            f"page * size may not exceed {settings.max_result_window}; use /export for every result.", "page"
        )
    try:
        return SearchRequest(
            q=q,
            mode=mode,
            fusion=fusion,
            filters=filters,
            page=page,
            size=size,
            sort=sort,
            lang=lang,
            facets=facets,
            facet_size=facet_size,
        )
    except ValidationError as exc:  # a limit of the shared schema, stricter than the settings
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]) from exc


SearchRequestDep = Annotated[SearchRequest, Depends(get_search_request)]
