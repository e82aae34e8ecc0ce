"""Similar records, on every engine: the nearest records by meaning, across languages, each with its reasons.

The English embedding model sees a Spanish and an English record about remittances as far apart, so three
legs are fused (`fusion.rrf`):
- the record's own vector (nearest by cosine: what the model reads as close, mostly in the same language);
- the record read across languages: the GCM concepts its title and description name (models.thesaurus),
  in the languages it is not written in, as a keyword query restricted to records in those languages;
- the objectives it declares or is suggested, shared by the candidates of the other two legs.
Then the filters and the options ("only other countries", "only other entities": entities grouped by what
they are, `Pledge.entity_key`), and each neighbour explained. A record of the same entity that describes the
same initiative (a pledge and the local action reporting it) is marked `same_initiative`, not offered as a peer
of another entity.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np

from models import thesaurus
from models.schemas import Filters, Pledge, Scores, SimilarHit
from models.taxonomy import LANGUAGES
from search_api.core.fusion import rrf
from search_api.core.labels import as_hit
from search_api.core.ranking import OBJECTIVE_LABELS, RankingParams
from search_api.core.reader import K, Ranked, RecordFacts, SearchReader
from search_api.core.side_work import SIDE, SideWork, ready
from search_api.core.similarity import explain, passes_options, same_initiative
from search_api.core.snippets import SNIPPET_CHARS, snippet


def all_objectives(pledge: Pledge) -> set[int]:
    """Declared and suggested objectives of a record."""
    return set(pledge.objectives) | {s.objective for s in pledge.suggested_objectives}


def across_languages(pledge: Pledge) -> str:
    """The concepts a record names, written in the languages it is not written in: a query that finds the
    same kind of practice in the other languages."""
    phrases: dict[str, None] = {}
    for concept, _ in thesaurus.named(f"{pledge.title}. {pledge.description}").values():
        for lang in LANGUAGES:
            if lang != pledge.language:
                phrases.update(dict.fromkeys(concept.phrases.get(lang, ())))
    return " . ".join(phrases)


def text_boosts(params: RankingParams) -> dict[str, float]:
    """The ranking's text fields without the objective labels: the concepts' phrases read the records' own
    words (shared objectives are a leg of their own), and a query of a hundred terms without the labels' clause
    per term is several times cheaper to run."""
    return {name: boost for name, boost in params.field_boosts.items() if name != OBJECTIVE_LABELS}


def objective_leg(source: Pledge, candidates: Mapping[str, RecordFacts], cosine: dict[str, float]) -> Ranked:
    """Candidates sharing the record's objectives (declared or suggested), by the share they carry."""
    mine = all_objectives(source)
    if not mine:
        return []
    scored = [(i, len(mine & f.objectives) / len(mine)) for i, f in candidates.items()]
    scored = [(i, s) for i, s in scored if s > 0]
    return sorted(scored, key=lambda t: (-t[1], -cosine.get(t[0], -1.0), t[0]))


def similar(
    reader: SearchReader[K],
    params: RankingParams,
    source: Pledge,
    vector: np.ndarray,
    k: int = 10,
    *,
    other_countries: bool = False,
    other_entities: bool = False,
    filters: Filters | None = None,
    lang: str = "en",
    side: SideWork = SIDE,
) -> list[SimilarHit]:
    """The `k` records most like `source`, itself excluded, best first (ties by id), with reasons."""
    filters = filters or Filters()
    if k <= 0 or reader.is_empty():
        return []
    size = reader.size()
    depth = min(size, max(params.similar_candidates, k + 1))
    text = across_languages(source) if params.similar_translation_weight > 0 else ""
    share = params.similar_max_term_share if params.similar_max_term_share < 1 else None
    query = reader.keyword_query(text, boosts=text_boosts(params), max_share=share) if text else None
    other_langs = Filters(language=[x for x in LANGUAGES if x != source.language])
    options = other_countries or other_entities
    while True:  # the keyword leg runs beside the vector leg (both engines release the GIL)
        found = side.submit(reader.keyword, query, other_langs, depth) if query is not None else ready(([], 0))
        near = reader.nearest(vector, depth, -1.0, filters if not filters.is_empty() else None)
        nearest = [(i, s) for i, s in near if i != source.id]
        facts = reader.facts([i for i, _ in nearest], filters)  # the nearest leg's, while the other leg runs
        translated = [(i, s) for i, s in found.result()[0] if i != source.id]
        asked = {i for i, _ in nearest}
        facts.update(reader.facts([i for i, _ in translated if i not in asked], filters))
        ids = [i for i in dict.fromkeys([i for i, _ in nearest] + [i for i, _ in translated]) if i in facts]
        if options:  # countries and entities: read from the stored records, only when asked
            read = reader.records(ids)
            ids = [
                i
                for i in ids
                if i in read
                and passes_options(source, read[i], other_countries=other_countries, other_entities=other_entities)
            ]
        chosen = {i: facts[i] for i in ids}
        if len(chosen) >= k or depth >= size:
            break
        depth = min(size, depth * 2)
    cosine = dict(nearest)
    missing = [i for i in chosen if i not in cosine]
    cosine.update(reader.similarities(vector, missing) if missing else {})
    by_vector = [(i, s) for i, s in nearest if i in chosen]
    others = {i for i, f in chosen.items() if f.language != source.language}
    lists = [[(i, s) for i, s in by_vector if i in others], [(i, s) for i, s in translated if i in chosen]]
    weights = [1.0, params.similar_translation_weight]
    objectives = [(i, s) for i, s in objective_leg(source, chosen, cosine) if i in others]
    if objectives and params.similar_objective_weight > 0:
        lists.append(objectives)
        weights.append(params.similar_objective_weight)
    across = rrf(lists, k=params.rrf_k, weights=weights)
    order = interleave(by_vector, across, k, round(k * params.similar_other_languages_share))
    crossed = set(dict(translated))
    shown = reader.records([i for i, _ in order])  # the stored records of the k shown, not of every candidate
    return [
        neighbour(source, shown[i], cosine.get(i, 0.0), score, i in crossed, lang) for i, score in order if i in shown
    ]


def interleave(by_vector: Ranked, across: Ranked, k: int, slots: int) -> Ranked:
    """The record's nearest by vector, with `slots` of the k places kept for the best records in the other
    languages (the vector alone almost never reaches them): same-language quality stays, and a Spanish
    record shows its English and French peers. Scores are reciprocal ranks, best first."""
    head = [i for i, _ in by_vector[: max(0, k - slots)]]
    taken = set(head)
    tail = [i for i, _ in across if i not in taken][:slots]
    taken.update(tail)
    rest = [i for i, _ in by_vector if i not in taken][: k - len(head) - len(tail)]
    ids = head + tail + rest
    return [(i, 1.0 / (rank + 1)) for rank, i in enumerate(ids)]


def neighbour(source: Pledge, other: Pledge, cosine: float, fused: float, across: bool, lang: str) -> SimilarHit:
    """One neighbour with its reasons, marked when it is the same initiative from another source."""
    hit = as_hit(
        other,
        lang,
        Scores(semantic=cosine, fused=fused),
        snippet=snippet(other.description, [], SNIPPET_CHARS),
        title_highlighted=html.escape(other.title),
    )
    explained = explain(
        source, hit, other, cosine, lang, shared_concepts=shared_concepts(source, other) if across else ()
    )
    return explained.model_copy(update={"same_initiative": same_initiative(source, other, cosine)})


def shared_concepts(source: Pledge, other: Pledge) -> Sequence[str]:
    """Ids of the thesaurus concepts both records name (what carried the neighbour across languages)."""
    mine = thesaurus.named(f"{source.title}. {source.description}")
    theirs = thesaurus.named(f"{other.title}. {other.description}")
    return [c for c in mine if c in theirs]
