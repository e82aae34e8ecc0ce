"""One record: read it, its similar records, and (behind the API key) replace or delete it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from models.schemas import Pledge, PledgeIn, SimilarResponse
from search_api.deps import ApiKeyDep, FiltersDep, LangParam, ServiceDep
from search_api.errors import error_responses

router = APIRouter(prefix="/pledges", tags=["pledges"])

RecordId = Annotated[str, Path(min_length=1, max_length=200, description="Record id, e.g. sub-2291.")]


@router.get("/{record_id}", response_model=Pledge, responses=error_responses(404), summary="One record")
def get_pledge(record_id: RecordId, service: ServiceDep) -> Pledge:
    """The stored, normalised record."""
    return service.get(record_id)


@router.get("/{record_id}/similar", response_model=SimilarResponse, responses=error_responses(404),
            summary="Records like this one")
def similar(
    record_id: RecordId,
    service: ServiceDep,
    filters: FiltersDep,
    k: Annotated[int, Query(ge=1, le=100, description="How many neighbours.")] = 10,
    other_countries: Annotated[bool, Query(description="Only records in none of its countries.")] = False,
    other_entities: Annotated[bool, Query(description="Only records from other entities.")] = False,
    lang: LangParam = "en",
) -> SimilarResponse:
    """Nearest records by embedding, itself excluded, each with the reasons it is similar."""
    return service.similar(record_id, k=k, other_countries=other_countries, other_entities=other_entities,
                           filters=filters, lang=lang)


@router.put("/{record_id}", response_model=Pledge, responses=error_responses(401),
            summary="Create or replace a record (API key)")
def put_pledge(record_id: RecordId, body: PledgeIn, service: ServiceDep, _: ApiKeyDep) -> Pledge:
    """Validate, embed and store the record under this id; returns it as stored."""
    return service.put(record_id, body)


@router.delete("/{record_id}", status_code=204, response_class=Response, responses=error_responses(401, 404),
               summary="Delete a record (API key)")
def delete_pledge(record_id: RecordId, service: ServiceDep, _: ApiKeyDep) -> Response:
    """Remove the record; 404 when there is none."""
    service.delete(record_id)
    return Response(status_code=204)
