"""Filters (OR within a facet, AND across) and disjunctive facet counts worked out by hand on the corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from models.schemas import Filters


def counts(response, name: str) -> dict[str, int]:
    facet = next(f for f in response.facets if f.name == name)
    return {v.value: v.count for v in facet.values}


def ids(response) -> set[str]:
    return {h.id for h in response.hits}


def test_objective_15_in_colombia_gives_the_hand_counted_facets(search):
    response = search("", filters=Filters(objective=[15], country=["COL"]), size=50)
    assert response.total == 4
    assert ids(response) == {"fx-01", "fx-03", "fx-09", "fx-22"}
    # objective: counted under country=COL only (its own filter left out)
    assert counts(response, "objective") == {"7": 5, "15": 4, "16": 2, "17": 1, "23": 1, "4": 1, "5": 1}
    # country: counted under objective=15 only
    assert counts(response, "country") == {"COL": 4, "FRA": 1, "MEX": 1, "PER": 1, "CAN": 1, "VEN": 1}
    # every other facet: counted under both filters
    assert counts(response, "entity_type") == {"local_authority": 2, "civil_society": 1, "un_entity": 1}
    assert counts(response, "language") == {"en": 3, "es": 1}
    assert counts(response, "nature") == {"technical": 3, "process": 1}
    assert counts(response, "collection") == {"pledge": 4}
    assert counts(response, "region") == {"Americas": 4}
    objective = next(f for f in response.facets if f.name == "objective")
    assert [v.value for v in objective.values if v.selected] == ["15"]
    assert objective.values[0].value == "7"  # most frequent first


def test_facets_follow_the_query_as_well_as_the_filters(search):
    """ "health" reaches the Spanish fx-03 ("atención en salud") through its translations, and French and
    Peruvian records about santé / salud show in the country facet, counted without the country filter."""
    response = search("health", mode="keyword", filters=Filters(country=["COL"]))
    assert ids(response) == {"fx-03", "fx-09", "fx-22"}
    assert counts(response, "country") == {"COL": 3, "VEN": 1, "CAN": 1, "FRA": 1, "PER": 1}
    assert counts(response, "objective") == {"15": 3, "7": 3}


def test_values_within_a_facet_are_or_and_facets_are_and(search):
    either = search("", filters=Filters(country=["COL", "FRA"]), size=50)
    assert ids(either) == {"fx-01", "fx-03", "fx-09", "fx-22", "fx-23", "fx-24", "fx-05", "fx-19"}
    both = search("", filters=Filters(country=["COL", "FRA"], objective=[16]), size=50)
    assert ids(both) == {"fx-01", "fx-24", "fx-05"}
    assert both.total == 3


def test_deadline_range_and_synthetic_filters(search, corpus):
    late = search("", filters=Filters(deadline_from=dt.date(2025, 1, 1)), size=50)
    assert ids(late) == {"fx-02", "fx-05", "fx-07", "fx-11", "fx-19", "fx-23"}
    early = search("", filters=Filters(deadline_to=dt.date(2023, 12, 31)), size=50)
    assert ids(early) == {"fx-03", "fx-10", "fx-22"}
    assert search("", filters=Filters(synthetic=True)).total == len(corpus)
    assert search("", filters=Filters(synthetic=False)).total == 0


def test_a_facet_asked_with_fewer_values_than_it_has_is_truncated(search):
    response = search("", facet_size=2, filters=Filters(country=["ITA"]))
    country = next(f for f in response.facets if f.name == "country")
    assert country.truncated
    assert country.values[0].value == "COL" and country.values[0].count == 6
    assert len([v for v in country.values if not v.selected]) == 2
    assert "ITA" in [v.value for v in country.values if v.selected]  # a selected value is always shown
    assert next(v.count for v in country.values if v.value == "ITA") == 1
    language = next(f for f in response.facets if f.name == "language")
    assert not language.truncated or len(language.values) == 2


@pytest.mark.parametrize(
    ("lang", "colombia", "objective"),
    [
        ("en", "Colombia", "15. Basic services"),
        ("fr", "Colombie", "15. Services de base"),
        ("es", "Colombia", "15. Servicios básicos"),
    ],
)
def test_facet_labels_speak_the_asked_language(search, lang, colombia, objective):
    response = search("", lang=lang)
    country = {v.value: v.label for f in response.facets if f.name == "country" for v in f.values}
    objectives = {v.value: v.label for f in response.facets if f.name == "objective" for v in f.values}
    assert country["COL"] == colombia and objectives["15"] == objective


def test_an_empty_match_set_still_shows_the_selected_values(search):
    response = search("zzzzqqq", mode="keyword", filters=Filters(country=["COL"]))
    assert response.total == 0 and response.hits == []
    country = next(f for f in response.facets if f.name == "country")
    assert [(v.value, v.count, v.selected) for v in country.values] == [("COL", 0, True)]


def test_objective_scope_reads_declared_suggested_or_all_objectives(make_backend, corpus, vectors, stored):
    """Suggestions are stored apart: the objective filter and facet read declared objectives by default, the
    tagger's suggestions with scope=suggested, either with scope=all, and say how many are suggested."""
    from models.schemas import SearchRequest, SuggestedObjective

    engine = make_backend()
    declared = corpus[0].model_copy(update={"objectives": [15], "suggested_objectives": []})
    suggested = corpus[1].model_copy(
        update={
            "objectives": [],
            "suggested_objectives": [
                SuggestedObjective(objective=15, confidence=0.8),
                SuggestedObjective(objective=20, confidence=0.4),
            ],
        }
    )
    neither = corpus[2].model_copy(update={"objectives": [3], "suggested_objectives": []})
    engine.upsert([stored(p, vectors[p.id]) for p in (declared, suggested, neither)])
    engine.refresh()

    def found(scope: str) -> tuple[set[str], dict[str, tuple[int, int]]]:
        response = engine.search(SearchRequest(q="", filters=Filters(objective=[15], objective_scope=scope)), None)
        facet = next(f for f in response.facets if f.name == "objective")
        return {h.id for h in response.hits}, {v.value: (v.count, v.suggested) for v in facet.values}

    hits, counts = found("declared")
    assert hits == {declared.id} and counts == {"15": (1, 0), "3": (1, 0)}
    hits, counts = found("suggested")
    assert hits == {suggested.id} and counts == {"15": (1, 1), "20": (1, 1)}
    hits, counts = found("all")
    assert hits == {declared.id, suggested.id} and counts == {"15": (2, 1), "20": (1, 1), "3": (1, 0)}
    card = next(h for h in engine.search(SearchRequest(q=""), None).hits if h.id == suggested.id)
    assert card.objectives == [] and card.suggested_objectives == [15, 20]
