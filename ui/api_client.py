"""The UI's only way to the data: HTTP calls to the search API, answered as the shared schema objects.

Nothing here imports `search_api`, `indexer` or torch (tests/ui/test_thin_client.py proves it), so the UI can
run on a machine that holds neither the index nor the model. Transport failures become `ApiUnavailable`, error
bodies become `ApiError`: pages show either as a message, never as a traceback.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from models.params import filter_pairs
from models.schemas import (
    Facet,
    FacetsResponse,
    Filters,
    PledgeView,
    SearchResponse,
    SimilarResponse,
    TaxonomyResponse,
)

# Filters sent as repeatable query parameters, one name per facet, as GET /search reads them.


class ApiUnavailable(Exception):
    """The API could not be reached or did not answer in time."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ApiError(Exception):
    """The API answered with an error body (4xx/5xx) or with something that is not what the schema says."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def search_params(
    q: str, mode: str, filters: Filters, page: int, size: int, lang: str, sort: str = "relevance"
) -> list[tuple[str, str]]:
    """Query pairs of GET /search (and GET /export, which takes the same search without paging)."""
    pairs = [
        ("q", q),
        ("mode", mode),
        ("page", str(page)),
        ("size", str(size)),
        ("lang", lang),
        ("sort", sort),
    ]
    return pairs + filter_pairs(filters)


class ApiClient:
    """A small synchronous client of the search API; one per UI process, shared by its sessions."""

    def __init__(self, base_url: str, timeout: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json"},
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()

    # -- transport -------------------------------------------------------------------------------------------
    def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> httpx.Response:
        try:
            response = self._http.get(path, params=tuple(params or ()))
        except httpx.TimeoutException as exc:
            raise ApiUnavailable(self.base_url, f"no answer within {self._http.timeout.read} s") from exc
        except httpx.HTTPError as exc:
            raise ApiUnavailable(self.base_url, type(exc).__name__) from exc
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def _get_json(self, path: str, params: list[tuple[str, str]] | None = None) -> Any:
        response = self._get(path, params)
        try:
            return response.json()
        except ValueError as exc:
            raise ApiError(response.status_code, "bad_response", "The API answered with something not JSON.") from exc

    @staticmethod
    def _parse(model: type[BaseModel], data: Any) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ApiError(200, "bad_response", f"The API's answer does not match {model.__name__}.") from exc

    # -- endpoints -------------------------------------------------------------------------------------------
    def ready(self) -> dict[str, Any]:
        """GET /ready: engine name, record count, model."""
        return self._get_json("/ready")

    def search(
        self,
        q: str = "",
        mode: str = "hybrid",
        filters: Filters | None = None,
        page: int = 1,
        size: int = 10,
        lang: str = "en",
        sort: str = "relevance",
        facet_size: int | None = None,
        facets: bool = True,
    ) -> SearchResponse:
        """GET /search: one page of hits with total and disjunctive facet counts (none with `facets=False`)."""
        params = search_params(q, mode, filters or Filters(), page, size, lang, sort)
        if facet_size:
            params.append(("facet_size", str(facet_size)))
        if not facets:
            params.append(("facets", "false"))
        return self._parse(SearchResponse, self._get_json("/search", params))

    def pledge(self, pledge_id: str, lang: str = "en") -> PledgeView:
        """GET /pledges/{id}: the record with its labels in `lang`; an unknown id raises ApiError (404)."""
        return self._parse(PledgeView, self._get_json(f"/pledges/{_quote(pledge_id)}", [("lang", lang)]))

    def similar(
        self,
        pledge_id: str,
        k: int = 10,
        other_countries: bool = False,
        other_entities: bool = False,
        lang: str = "en",
    ) -> SimilarResponse:
        """GET /pledges/{id}/similar: neighbours with the reasons they are."""
        params = [
            ("k", str(k)),
            ("other_countries", _bool(other_countries)),
            ("other_entities", _bool(other_entities)),
            ("lang", lang),
        ]
        return self._parse(SimilarResponse, self._get_json(f"/pledges/{_quote(pledge_id)}/similar", params))

    def taxonomy(self, lang: str = "en") -> TaxonomyResponse:
        """GET /taxonomy: every controlled vocabulary, labelled in `lang`."""
        return self._parse(TaxonomyResponse, self._get_json("/taxonomy", [("lang", lang)]))

    def facets(self, filters: Filters | None = None, lang: str = "en", facet_size: int = 30) -> list[Facet]:
        """GET /facets: counts over the whole corpus, or under `filters`."""
        params = [("lang", lang), ("facet_size", str(facet_size)), *filter_pairs(filters or Filters())]
        response: FacetsResponse = self._parse(FacetsResponse, self._get_json("/facets", params))
        return response.data

    def export_csv(self, q: str, mode: str, filters: Filters, lang: str = "en", sort: str = "relevance") -> bytes:
        """GET /export: the whole result (every page, in the page's order) as CSV bytes."""
        params = [p for p in search_params(q, mode, filters, 1, 10, lang, sort) if p[0] not in ("page", "size")]
        return self._get("/export", params).content


def _error_from(response: httpx.Response) -> ApiError:
    """The API's `{"error": {code, message, field}}` body as an exception; anything else, described."""
    try:
        body = response.json()
        error = body["error"]
        return ApiError(
            response.status_code,
            str(error.get("code", "error")),
            str(error.get("message", "")),
            error.get("field"),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return ApiError(response.status_code, "http_error", f"HTTP {response.status_code}")


def _quote(value: str) -> str:
    """An id as one path segment, whatever it holds."""
    return quote(value, safe="")


def _bool(value: bool) -> str:
    return "true" if value else "false"
