"""Every tunable of ranking in one place, so that quality work changes numbers here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

OBJECTIVE_LABELS = "objectives"  # the field_boosts name of the objective labels (en/fr/es), in every engine


@dataclass(frozen=True)
class RankingParams:
    """Knobs of the keyword leg, the semantic leg and their fusion.

    Both engines read these; `pledges eval` compares settings by building variants with `with_()`.
    """

    # fusion
    rrf_k: int = 60
    keyword_weight: float = 1.0
    semantic_weight: float = 1.0
    # the semantic leg's weight for a query outside `model_languages` (all-MiniLM-L6-v2 is English: its
    # neighbours for a French query are mostly noise); set it to semantic_weight for a multilingual model
    # (measured, dev set: 0.25 -> 0 lifts French hybrid nDCG@10 0.705 -> 0.802, Spanish 0.620 -> 0.633, both
    # halves of the query set alike: the English model's neighbours of a French query are noise)
    semantic_weight_other: float = 0.0
    model_languages: tuple[str, ...] = ("en",)
    # objective leg of hybrid search (search_api.core.crosslingual): its RRF weight, how many keyword hits feed the
    # query's objective profile back, the feedback's share beside the objectives its words name in the
    # taxonomy labels, the share under which a profile objective is dropped, and how many nearest-centroid
    # objectives a record that declares none is given for ranking (0: none)
    objective_weight: float = 0.45  # 0.3-0.6 is one plateau on both halves of the dev set; 0 and 1 lose
    objective_feedback_depth: int = 10
    objective_feedback_share: float = 2 / 3
    objective_min_share: float = 0.0  # 0.25 helped in the lab, hurt on the engine: off
    inferred_objectives: int = 2
    # how deep each leg is read before fusing (the semantic leg is also capped by the match-set rule)
    keyword_candidates: int = 200
    semantic_candidates: int = 200
    # cosine below which a record is not in the semantic match set, absolutely and relative to the query's best
    # cosine (a per-query rule: an English model's scores for one query sit in a band of their own)
    similarity_floor: float = 0.25
    similarity_margin: float = 0.3
    # strong matches (SearchResponse.strong): a keyword score at least this share of the best, or a cosine
    # within this distance of the best
    strong_keyword_share: float = 0.5
    strong_semantic_margin: float = 0.05
    # BM25 field boosts (a boost of 0 leaves the field out of the match set). "objectives" holds the en/fr/es
    # labels of the objectives a record declares: a Spanish "remesas" reaches English pledges on objective 20.
    # A term counts once through them: the better of the record's text fields and its labels (dis_max).
    # Measured on the dev set (issue 6 note): title 2 -> 1 gave +0.02 nDCG@10, the labels +0.03..0.05.
    field_boosts: dict[str, float] = field(
        default_factory=lambda: {"title": 1.0, "description": 1.0, "entity": 0.0, OBJECTIVE_LABELS: 0.75}
    )
    # the keyword leg also reads the query's translations (models/thesaurus: the GCM concepts it names, in the
    # other two languages), each term at this weight of the query's own: 0 reads the query alone. Dev set:
    # 0 -> 0.3 lifts keyword nDCG@10 0.623 -> 0.672 (both halves up); 0.5 and more cost English queries
    translation_weight: float = 0.3
    # longest query, in distinct analysed terms per language, that the keyword leg reads
    max_query_terms: int = 64
    # similar(): how many neighbours each leg reads before the options filter them, and the weights of the
    # cross-language leg (the record's concepts in the other languages) and the objective leg beside the
    # record's own vector
    similar_candidates: int = 100
    # the cross-language leg's query leaves out the record's concept terms that more than this share of the
    # records hold (a "more like this" query's max_doc_freq: they add little to BM25 but cost the most to read;
    # at a million records 44 -> 29 ms). Eval store: cross-language twins 13 of 80 (14 with every term), 95%
    # of the top 10 unchanged; keeping the 25 rarest terms instead (14 ms) found 11 and changed 12%. 1: every
    # term
    similar_max_term_share: float = 0.1
    similar_translation_weight: float = 1.0
    similar_objective_weight: float = 0.5
    # share of the k places kept for the best records in other languages (0: the vector alone)
    similar_other_languages_share: float = 0.3

    def with_(self, **changes: object) -> RankingParams:
        """A copy with some knobs changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_RANKING = RankingParams()
