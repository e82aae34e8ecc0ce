"""Every tunable of ranking in one place, so that quality work changes numbers here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class RankingParams:
    """Knobs of the keyword leg, the semantic leg and their fusion.

    Both engines read these; `pledges eval` compares settings by building variants with `with_()`.
    """

    # fusion
    fusion: str = "rrf"  # default method when a request does not say: "rrf" or "weighted"
    rrf_k: int = 60
    keyword_weight: float = 1.0
    semantic_weight: float = 1.0
    # how deep each leg is read before fusing (the semantic leg is also capped by the match-set rule)
    keyword_candidates: int = 200
    semantic_candidates: int = 200
    # cosine below which a record is not in the semantic match set
    similarity_floor: float = 0.25
    # BM25 field boosts (a boost of 0 leaves the field out of the match set)
    field_boosts: dict[str, float] = field(
        default_factory=lambda: {"title": 2.0, "description": 1.0, "entity": 0.0}
    )
    # longest query, in distinct analysed terms per language, that the keyword leg reads
    max_query_terms: int = 64
    # similar(): how many nearest neighbours are read before the options filter them
    similar_candidates: int = 200

    def with_(self, **changes: object) -> RankingParams:
        """A copy with some knobs changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_RANKING = RankingParams()
