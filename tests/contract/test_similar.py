"""similar(): nearest records by embedding, itself excluded, options, filters, reasons in 3 languages."""

from __future__ import annotations

import pytest

from models.schemas import Filters


def test_neighbours_exclude_the_record_itself_and_come_best_first(backend):
    hits = backend.similar("fx-01", k=5)
    assert len(hits) == 5
    assert "fx-01" not in [h.id for h in hits]
    fused = [h.scores.fused for h in hits]  # the legs' fused rank; `similarity` is each one's cosine
    assert fused == sorted(fused, reverse=True)
    assert all(h.reasons for h in hits) and all(-1.0 <= h.similarity <= 1.0 for h in hits)


def test_other_countries_only(backend):
    hits = backend.similar("fx-01", k=10, other_countries=True)
    assert hits and all("COL" not in h.countries for h in hits)


def test_other_entities_only(backend, corpus):
    everyone = [h.id for h in backend.similar("fx-01", k=len(corpus))]
    assert "fx-24" in everyone  # same entity as fx-01 (the City of Barranquilla)
    others = [h.id for h in backend.similar("fx-01", k=len(corpus), other_entities=True)]
    assert "fx-24" not in others and len(others) == len(corpus) - 2


def test_filters_apply_to_neighbours(backend):
    hits = backend.similar("fx-01", k=10, filters=Filters(language=["es"]))
    assert {h.id for h in hits} == {"fx-03", "fx-04", "fx-14"}


@pytest.mark.parametrize(
    ("lang", "objectives", "entity", "country"),
    [
        (
            "en",
            "Shared GCM objectives: 16 · Inclusion & cohesion",
            "Same kind of entity: City / local authority",
            "Same country: Colombia",
        ),
        (
            "fr",
            "Objectifs du PMM communs : 16 · Intégration et cohésion",
            "Même type d'entité : Ville / autorité locale",
            "Même pays : Colombie",
        ),
        (
            "es",
            "Objetivos del PMM compartidos: 16 · Inclusión y cohesión",
            "Mismo tipo de entidad: Ciudad / autoridad local",
            "Mismo país: Colombia",
        ),
    ],
)
def test_each_neighbour_says_why(backend, corpus, lang, objectives, entity, country):
    hit = next(h for h in backend.similar("fx-01", k=len(corpus), lang=lang) if h.id == "fx-24")
    assert hit.shared_objectives == [16] and hit.same_entity_type and hit.same_country
    assert hit.reasons[:3] == [objectives, entity, country]
    assert hit.same_entity and hit.reasons[-1].startswith(("Text similarity", "Similarité", "Similitud"))


def test_unknown_id_raises_key_error(backend):
    with pytest.raises(KeyError):
        backend.similar("fx-nope")


def test_candidates_facts_are_their_records_language_and_objectives_under_the_filters(
    make_backend, corpus, vectors, stored
):
    """similar() weighs its candidates by facts read from the index, not their stored records: they must be the
    records' own language and objectives, declared and suggested together, for just the records that pass the
    filters."""
    from models.schemas import SuggestedObjective
    from search_api.core.similar import all_objectives

    engine = make_backend()
    both = corpus[0].model_copy(
        update={"objectives": [2, 15], "suggested_objectives": [SuggestedObjective(objective=20, confidence=0.4)]}
    )
    records = [both, *corpus[1:]]
    engine.upsert([stored(p, vectors[p.id]) for p in records])
    engine.refresh()
    reader = engine.reader()
    ids = [p.id for p in records] + ["no-such-record"]
    facts = reader.facts(ids, Filters())
    assert set(facts) == {p.id for p in records}
    assert facts[both.id].objectives == frozenset({2, 15, 20})
    for p in records:
        assert (facts[p.id].language, facts[p.id].objectives) == (p.language, frozenset(all_objectives(p)))
    spanish = reader.facts(ids, Filters(language=["es"]))
    assert set(spanish) == {p.id for p in records if p.language == "es"} and spanish


def test_similar_records_are_kept_per_generation_and_ranking_settings(make_backend, corpus, vectors, stored):
    """The same record's similar records are answered alike until the records or the ranking settings change."""
    import dataclasses

    engine = make_backend()
    engine.upsert([stored(p, vectors[p.id]) for p in corpus])
    engine.refresh()
    first = [h.id for h in engine.similar("fx-01", k=10)]
    assert [h.id for h in engine.similar("fx-01", k=10)] == first
    params = engine.params
    engine.params = dataclasses.replace(params, similar_other_languages_share=0.0, similar_translation_weight=0.0)
    same_language = [h.id for h in engine.similar("fx-01", k=10)]
    assert same_language != first  # new settings, a new answer (not the one kept for the old settings)
    engine.params = params
    assert [h.id for h in engine.similar("fx-01", k=10)] == first
    engine.delete([first[0]])
    engine.refresh()
    assert first[0] not in [h.id for h in engine.similar("fx-01", k=10)]
