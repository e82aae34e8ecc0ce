"""Pydantic schemas shared by every layer: the indexer emits the same `Pledge` the API returns.

Importing this module never loads torch: the embedder lives in `models.embedder` and is imported lazily.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from models.limits import (
    ID_DESCRIPTION,
    ID_PATTERN,
    MAX_DESCRIPTION_CHARS,
    MAX_ID_CHARS,
    MAX_ITEM_CHARS,
    MAX_LIST_ITEMS,
    MAX_SHORT_TEXT_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    control_characters,
    has_visible_text,
)

# Dates a record or a filter may carry: wider is a typo, and the engines cannot store years past 2262.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def plausible_date(value: dt.date) -> dt.date:
    """Refuse a date outside EARLIEST_DATE..LATEST_DATE, saying what the range is."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"dates run from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}")
    return value


PlausibleDate = Annotated[dt.date, AfterValidator(plausible_date)]

Collection = Literal["pledge", "practice", "local_action"]
SearchMode = Literal["keyword", "semantic", "hybrid"]
FusionMethod = Literal["rrf", "weighted"]
SortOrder = Literal["relevance", "deadline", "title", "newest"]
UiLanguage = Literal["en", "fr", "es"]

# Facet name -> field of `Pledge` it reads. Declared once; both engines and the API use it.
FACET_FIELDS: dict[str, str] = {
    "collection": "collection",
    "objective": "objectives",
    "principle": "principles",
    "country": "countries",
    "region": "regions",
    "subregion": "subregions",
    "entity_type": "entity_type",
    "nature": "nature",
    "language": "language",
}


class SuggestedObjective(BaseModel):
    """A GCM objective the tagger (models/tagger.py) reads in a record's text, with its confidence: stored apart
    from the declared objectives, never overwriting them, always shown as suggested."""

    model_config = ConfigDict(extra="forbid")

    # strict: `true` is not objective 1 and `false` not confidence 0 (PUT bodies may carry suggestions back)
    objective: int = Field(ge=1, le=23, strict=True)
    confidence: float = Field(ge=0.0, le=1.0, strict=True)


ObjectiveScope = Literal["declared", "suggested", "all"]


class PledgeBase(BaseModel):
    """The facts of one pledge, good practice or local action, normalised."""

    model_config = ConfigDict(extra="forbid")

    collection: Collection = "pledge"
    title: str = Field(min_length=1, description="Title as published.")
    description: str = Field(min_length=1, description="The text to search, in its own language.")
    description_from: str | None = Field(None, description="'metadata' when only form metadata was published.")
    entity_name: str | None = None
    entity_type: str | None = Field(None, description="Code from models.taxonomy.ENTITY_TYPES.")
    entity_type_inferred: bool = False
    countries: list[str] = Field(default_factory=list, description="ISO 3166 alpha-3 codes, or GLOBAL.")
    countries_inferred: bool = Field(False, description="True when countries were read from the entity name.")
    regions: list[str] = Field(default_factory=list, description="UN M49 regions (and Global).")
    subregions: list[str] = Field(default_factory=list, description="UN M49 sub-regions.")
    region_published: str | None = Field(None, description="Region of implementation as the source words it.")
    city: str | None = None
    entity_key: str | None = Field(
        None,
        description="What the entity is, whatever its wording (`city:<name>` "
        "for a city's offices), computed at index time.",
    )
    objectives: list[int] = Field(default_factory=list, description="GCM objectives 1-23, as declared.")
    suggested_objectives: list[SuggestedObjective] = Field(
        default_factory=list, description="Objectives suggested by the tagger (none of the declared ones), best first."
    )
    principles: list[str] = Field(default_factory=list, description="Codes from taxonomy.PRINCIPLES.")
    nature: list[str] = Field(default_factory=list, description="Codes from taxonomy.NATURES.")
    pledge_type: str | None = Field(None, description="individual, joint or matching.")
    themes: list[str] = Field(default_factory=list)
    deadline: PlausibleDate | None = None
    submitted: PlausibleDate | None = None
    language: str = Field("en", description="ISO 639-1 language of the description.")
    language_detected: bool = Field(False, description="True when the language was detected, not declared.")
    source_url: str | None = None
    synthetic: bool = Field(False, description="Invented test record: never to be shown as real.")


class Pledge(PledgeBase):
    """A stored record: the facts plus its stable id."""

    id: str = Field(min_length=1, description="sub-<Submission Number>, pledge-<slug>, syn-NNNN, ...")


def _one_line(value: str) -> str:
    """No control characters (a line break included) and no bidi overrides."""
    bad = control_characters(value)
    if bad:
        raise ValueError(f"holds control or bidi-override characters ({', '.join(bad[:3])})")
    return value


def _visible_line(value: str) -> str:
    """One line with something to see: not only spaces, zero-width or control characters."""
    if not has_visible_text(value):
        raise ValueError("needs visible text (not only spaces or invisible characters)")
    return _one_line(value)


def _visible_block(value: str) -> str:
    """Paragraphs (line breaks and tabs allowed) with something to see."""
    if not has_visible_text(value):
        raise ValueError("needs visible text (not only spaces or invisible characters)")
    bad = control_characters(value, allowed="\n\r\t")
    if bad:
        raise ValueError(f"holds control or bidi-override characters ({', '.join(bad[:3])})")
    return value


Title = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_TITLE_CHARS,
        description=f"Title as published: one line with visible text, at most {MAX_TITLE_CHARS} characters.",
    ),
    AfterValidator(_visible_line),
]
Description = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_DESCRIPTION_CHARS,
        description=f"The text to search, in its own language; at most {MAX_DESCRIPTION_CHARS:,} characters.",
    ),
    AfterValidator(_visible_block),
]
ShortText = Annotated[str, Field(max_length=MAX_SHORT_TEXT_CHARS), AfterValidator(_one_line)]
Item = Annotated[str, Field(max_length=MAX_ITEM_CHARS), AfterValidator(_one_line)]
RecordId = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_PATTERN, description=ID_DESCRIPTION)]


def items(description: str | None = None) -> Any:
    """A list field of at most MAX_LIST_ITEMS values."""
    return Field(default_factory=list, max_length=MAX_LIST_ITEMS, description=description)


class PledgeIn(PledgeBase):
    """A record entering the store (body of PUT /pledges/{id}, and every record the indexer normalises): the
    limits of models/limits.py apply. The id comes from the path (or the source)."""

    title: Title
    description: Description
    description_from: ShortText | None = Field(None, description="'metadata' when only form metadata was published.")
    entity_name: ShortText | None = None
    entity_type: ShortText | None = Field(None, description="Code from models.taxonomy.ENTITY_TYPES.")
    countries: list[Item] = items("ISO 3166 alpha-3 codes, or GLOBAL.")
    regions: list[Item] = items("UN M49 regions (and Global).")
    subregions: list[Item] = items("UN M49 sub-regions.")
    region_published: ShortText | None = Field(None, description="Region of implementation as the source words it.")
    city: ShortText | None = None
    objectives: list[int] = items("GCM objectives 1-23.")
    principles: list[Item] = items("Codes from taxonomy.PRINCIPLES.")
    nature: list[Item] = items("Codes from taxonomy.NATURES.")
    pledge_type: ShortText | None = Field(None, description="individual, joint or matching.")
    themes: list[Item] = items()
    language: Item = Field("en", description="ISO 639-1 language of the description.")
    source_url: Annotated[str, Field(max_length=MAX_URL_CHARS), AfterValidator(_one_line)] | None = None


class PledgeView(Pledge):
    """A stored record as GET /pledges/{id} shows it: with the labels of its codes in the asked language (the
    API's names, the same on a search card, a record page and in an export)."""

    country_names: list[str] = Field(default_factory=list)
    entity_type_label: str | None = None


class Rejection(BaseModel):
    """One record that could not be indexed, and why."""

    source: str
    line: int | None = Field(None, description="Line (JSONL, text) or row (CSV, header = row 1) in the file.")
    record_id: str | None = None
    field: str | None = None
    reason: str


class IndexReport(BaseModel):
    """What an index run did: read = indexed + unchanged + rejected."""

    read: int = 0
    indexed: int = 0
    unchanged: int = 0
    rejected: int = 0
    embedded: int = Field(0, description="Texts actually sent to the model (cache misses).")
    rejections: list[Rejection] = Field(default_factory=list)
    seconds: float = 0.0


class Filters(BaseModel):
    """Several values within one facet are OR; across facets AND."""

    model_config = ConfigDict(extra="forbid")

    collection: list[str] = Field(default_factory=list)
    objective: list[int] = Field(default_factory=list)
    principle: list[str] = Field(default_factory=list)
    country: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    subregion: list[str] = Field(default_factory=list)
    entity_type: list[str] = Field(default_factory=list)
    nature: list[str] = Field(default_factory=list)
    language: list[str] = Field(default_factory=list)
    synthetic: bool | None = Field(None, description="True: only synthetic; False: only real; None: both.")
    objective_scope: ObjectiveScope = Field(
        "declared",
        description="Which objectives the objective filter and facet read: as declared by the "
        "record, as suggested by the tagger, or all (declared or suggested).",
    )
    deadline_from: PlausibleDate | None = None
    deadline_to: PlausibleDate | None = None

    def facet_values(self, facet: str) -> list[str]:
        """Selected values of one facet, as strings."""
        return [str(v) for v in getattr(self, facet)]

    def without(self, facet: str) -> Filters:
        """These filters minus one facet's: the disjunctive-facet rule, in one place."""
        return self.model_copy(update={facet: []})

    def is_empty(self) -> bool:
        """True when nothing narrows the corpus."""
        return (
            not any(getattr(self, f) for f in FACET_FIELDS)
            and self.synthetic is None
            and not (self.deadline_from or self.deadline_to)
        )


MAX_QUERY_CHARS = 2000  # longest query text any edge accepts (the API's max_query_chars may lower it)


class SearchRequest(BaseModel):
    """A search as the CLI, the API and the UI all ask it."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field("", max_length=MAX_QUERY_CHARS)
    mode: SearchMode = "hybrid"
    fusion: FusionMethod = "rrf"
    filters: Filters = Field(default_factory=Filters)
    page: int = Field(1, ge=1)
    size: int = Field(10, ge=1, le=100)
    sort: SortOrder = "relevance"
    lang: UiLanguage = "en"
    facets: bool = True
    facet_size: int = Field(30, ge=1, le=300)


class Scores(BaseModel):
    """Per-leg scores (None when the record did not come from that leg) and the fused one."""

    keyword: float | None = None
    semantic: float | None = None
    fused: float = 0.0


class Hit(BaseModel):
    """One result: the facts a user scans, and a snippet with the matched words in <mark>."""

    id: str
    collection: Collection
    title: str
    entity_name: str | None = None
    entity_type: str | None = None
    entity_type_label: str | None = None
    countries: list[str] = Field(default_factory=list)
    country_names: list[str] = Field(default_factory=list)
    objectives: list[int] = Field(default_factory=list)
    suggested_objectives: list[int] = Field(default_factory=list, description="Suggested, not declared.")
    language: str = "en"
    deadline: dt.date | None = None
    submitted: dt.date | None = Field(None, description="Submission date, where the source gives one.")
    source_url: str | None = Field(None, description="The published original, to check the record against.")
    synthetic: bool = False
    snippet: str = Field("", description="HTML-escaped text; matched words wrapped in <mark>...</mark>.")
    title_highlighted: str = ""
    scores: Scores = Field(default_factory=Scores)


class FacetValue(BaseModel):
    """One bucket of a facet."""

    value: str
    label: str
    count: int
    suggested: int = Field(
        0,
        description="Objective facet, scope suggested or all: how many of `count` carry "
        "the objective as a suggestion only.",
    )
    selected: bool = False


class Facet(BaseModel):
    """Counts for one facet under every active filter but its own."""

    name: str
    values: list[FacetValue] = Field(default_factory=list)
    truncated: bool = False


class SearchResponse(BaseModel):
    """A page of results with total, facets and time taken."""

    q: str
    mode: SearchMode
    total: int = Field(description="Records in the match set under the filters: every page together.")
    strong: int = Field(
        0,
        description="How many of them match strongly: a keyword score at least half the best "
        "one, or a cosine close to the best one (all of them when browsing).",
    )
    page: int
    size: int
    hits: list[Hit]
    facets: list[Facet] = Field(default_factory=list)
    took_ms: float = 0.0


class SimilarHit(Hit):
    """A neighbour and why it is one."""

    similarity: float
    shared_objectives: list[int] = Field(default_factory=list)
    same_entity_type: bool = False
    same_country: bool = False
    same_entity: bool = Field(
        False,
        description="Submitted by the same entity (grouped by what the entity is, "
        "e.g. a city's offices, not by spelling).",
    )
    same_initiative: bool = Field(
        False,
        description="Describes the same initiative as the record, from another "
        "source (e.g. a pledge and the local action reporting it): "
        "shown as such, not as a peer.",
    )
    reasons: list[str] = Field(default_factory=list, description="Human-readable reasons, in the asked language.")


class SimilarResponse(BaseModel):
    """Neighbours of one record, itself excluded."""

    id: str
    data: list[SimilarHit]
    count: int


class TaxonomyTerm(BaseModel):
    """One controlled value and its label in the asked language."""

    code: str
    label: str
    short: str | None = None


class TaxonomyResponse(BaseModel):
    """All controlled vocabularies, labelled in one language."""

    lang: UiLanguage
    objectives: list[TaxonomyTerm]
    principles: list[TaxonomyTerm]
    entity_types: list[TaxonomyTerm]
    natures: list[TaxonomyTerm]
    regions: list[TaxonomyTerm]
    subregions: list[TaxonomyTerm]
    collections: list[TaxonomyTerm]
    countries: list[TaxonomyTerm] = Field(default_factory=list, description="ISO alpha-3 codes and GLOBAL.")


class FacetsResponse(BaseModel):
    """Facet counts over the corpus under the given filters (disjunctive: each ignores its own filter)."""

    data: list[Facet]
    count: int


class HealthResponse(BaseModel):
    """The process is up (says nothing about the engine)."""

    status: Literal["ok"] = "ok"


class ReadyResponse(BaseModel):
    """The engine answers: which one, its health, how many records it holds, and the embedding model."""

    status: Literal["ready"] = "ready"
    backend: str
    health: Literal["green", "yellow"] = Field(
        "green",
        description="green: every record served, every copy in place; yellow: every record still served but a "
        "copy is missing (an OpenSearch cluster that lost a node: degraded, one more loss may lose records). "
        "Red (part of the index unavailable) answers 503. The embedded store is always green.",
    )
    count: int
    model: str | None = None


class ErrorDetail(BaseModel):
    """The one error shape the API answers with."""

    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    """`{"error": {"code", "message", "field"}}`."""

    error: ErrorDetail


class UploadErrorBody(ErrorBody):
    """An upload refused as a whole: the error plus the indexing report that says why, record by record."""

    report: IndexReport | None = None
