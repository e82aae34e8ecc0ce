"""One record: read it, its similar records, and (behind the API key) replace or delete it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field, Strict

from models import taxonomy
from models.limits import ID_DESCRIPTION, ID_PATTERN, MAX_ID_CHARS
from models.schemas import Pledge, PledgeIn, PledgeView, SimilarResponse, SuggestedObjective, items
from models.taxonomy import OBJECTIVE_COUNT
from search_api.http.deps import ApiKeyDep, FiltersDep, IsoDate, LangParam, ServiceDep
from search_api.http.errors import error_responses

router = APIRouter(prefix="/pledges", tags=["pledges"])

RecordId = Annotated[str, Path(min_length=1, max_length=MAX_ID_CHARS, description="Record id, e.g. sub-2291.")]
# A new id must match the one documented pattern; reads and deletes still take any id, so a record stored
# under a malformed id before the pattern existed can be found and removed.
NewRecordId = Annotated[
    str, Path(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_PATTERN, description=f"Record id: {ID_DESCRIPTION}")
]

if TYPE_CHECKING:  # the codes are data: type checkers see strings, pydantic and OpenAPI see the enums
    EntityType = str
    Principle = str
    Nature = str
    Region = str
    Subregion = str
else:
    EntityType = Literal[tuple(taxonomy.ENTITY_TYPES)]
    Principle = Literal[tuple(taxonomy.PRINCIPLES)]
    Nature = Literal[tuple(taxonomy.NATURES)]
    Region = Literal[tuple(taxonomy.REGIONS)]
    Subregion = Literal[tuple(taxonomy.SUBREGIONS)]
StrictBool = Annotated[bool, Strict()]


class SuggestedWrite(SuggestedObjective):
    """A suggested objective as a PUT may carry it: a number and a confidence, nothing coerced."""

    objective: Annotated[int, Strict(), Field(ge=1, le=OBJECTIVE_COUNT)]
    confidence: Annotated[float, Strict(), Field(ge=0.0, le=1.0)]


class PledgeWrite(PledgeIn):
    """PledgeIn whose codes come from the taxonomy and whose flags, numbers and dates have their own type:
    a PUT stores the record as sent, so a wrong value is refused here (422 naming the field), not stored."""

    entity_type: EntityType | None = None
    countries: list[Annotated[str, Field(pattern=r"^([A-Z]{3}|GLOBAL)$")]] = items("ISO 3166 alpha-3 codes, or GLOBAL.")
    regions: list[Region] = items()
    subregions: list[Subregion] = items()
    objectives: list[Annotated[int, Strict(), Field(ge=1, le=OBJECTIVE_COUNT)]] = items("GCM objectives 1-23.")
    suggested_objectives: list[SuggestedWrite] = Field(default_factory=list)  # type: ignore[assignment]
    principles: list[Principle] = items()
    nature: list[Nature] = items()
    language: str = Field("en", pattern=r"^[a-z]{2}$", description="ISO 639-1 language of the description.")
    deadline: IsoDate | None = None
    submitted: IsoDate | None = None
    entity_type_inferred: StrictBool = False
    countries_inferred: StrictBool = False
    language_detected: StrictBool = False
    synthetic: StrictBool = Field(False, description="Invented test record: never to be shown as real.")


@router.get("/{record_id}", response_model=PledgeView, responses=error_responses(404), summary="One record")
def get_pledge(record_id: RecordId, service: ServiceDep, lang: LangParam = "en") -> PledgeView:
    """The stored, normalised record, with the names of its countries and entity type in `lang`."""
    return service.view(record_id, lang)


@router.get(
    "/{record_id}/similar",
    response_model=SimilarResponse,
    responses=error_responses(404),
    summary="Records like this one",
)
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
    return service.similar(
        record_id, k=k, other_countries=other_countries, other_entities=other_entities, filters=filters, lang=lang
    )


@router.put(
    "/{record_id}",
    response_model=Pledge,
    responses=error_responses(400, 401),
    summary="Create or replace a record (API key)",
)
def put_pledge(record_id: NewRecordId, body: PledgeWrite, service: ServiceDep, _: ApiKeyDep) -> Pledge:
    """Validate, scrub personal data (e-mail and IP addresses, UUIDs), embed and store the record under this
    id; returns it as stored. The id and every field have the limits of the schema (422 naming the field)."""
    return service.put(record_id, body)


@router.delete(
    "/{record_id}",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 404),
    summary="Delete a record (API key)",
)
def delete_pledge(record_id: RecordId, service: ServiceDep, _: ApiKeyDep) -> Response:
    """Remove the record; 404 when there is none."""
    service.delete(record_id)
    return Response(status_code=204)
