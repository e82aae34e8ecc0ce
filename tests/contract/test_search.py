"""Ranking, analysis, query safety, snippets and pagination: the same answers from every engine."""

from __future__ import annotations

import re

import pytest

from models.schemas import Filters, SearchRequest

MODES = ("keyword", "semantic", "hybrid")
NASTY = [
    '"',
    '""',
    "*",
    "-",
    "-migrants",
    "AND",
    "OR NOT",
    "NEAR(",
    "NEAR(migrants, 3)",
    "title:x",
    "(((",
    ")))",
    "'",
    "\\",
    "\\\\",
    "a" * 2000,
    "😀",
    "🇨🇴 migrantes 😀",
    "",
    "   ",
    "migrants*",
    "mig?ants",
    "[1 TO 5]",
    "{!lucene}",
    "+++",
    "~2",
    "^3",
    "/regex/",
    "&&||",
    "<script>alert(1)</script>",
    "deadline:>2020",
    "\x00",
    "é" * 300,
    "one-stop\tcentre\n",
]


def ids(response) -> list[str]:
    return [h.id for h in response.hits]


@pytest.mark.parametrize("mode", MODES)
def test_the_barranquilla_centre_ranks_first_for_a_one_stop_centre_query(search, mode):
    response = search("one-stop centre for migrant integration in a city", mode=mode)
    assert ids(response)[0] == "fx-01"


def test_plural_spanish_query_finds_the_singular_words(search, corpus):
    record = next(p for p in corpus if p.id == "fx-03")
    assert "migrante venezolano" in record.description and "migrantes venezolanos" not in record.description
    response = search("migrantes venezolanos", mode="keyword")
    assert ids(response)[0] == "fx-03"
    assert "<mark>migrante</mark> <mark>venezolano</mark>" in response.hits[0].snippet


def test_accented_query_matches_unaccented_text(search):
    """fx-04 writes "integracion" without its accent; the English records about integration that the query's
    translations reach may rank beside it (on OpenSearch, BM25's figures put one above it)."""
    response = search("integración", mode="keyword")
    assert "fx-04" in ids(response)[:3]
    hit = next(h for h in response.hits if h.id == "fx-04")
    assert "<mark>integracion</mark>" in hit.snippet


def test_unaccented_query_matches_accented_text(search, corpus):
    """Typed without its accents, as on many keyboards, a Spanish word still finds "Orientación" and
    "información", whatever the stemmer makes of the accented and the plain spelling."""
    for query, record_id, word in (("orientacion", "fx-03", "Orientación"), ("informacion", "fx-14", "información")):
        record = next(p for p in corpus if p.id == record_id)
        assert word in f"{record.title} {record.description}" and query not in record.description.lower()
        hit = next((h for h in search(query, mode="keyword", size=50).hits if h.id == record_id), None)
        assert hit is not None, f"{query!r} does not find {record_id}"
        assert f"<mark>{word}</mark>" in f"{hit.title_highlighted} {hit.snippet}"


def test_french_query_finds_the_record_whose_words_differ_by_inflection(search, corpus):
    query = "intégration et accompagnement des migrants"
    record = next(p for p in corpus if p.id == "fx-05")
    for word in ("intégration", "accompagnement", "migrants"):
        assert word not in f"{record.title} {record.description}".lower().split()
    response = search(query, mode="keyword")
    assert ids(response)[0] == "fx-05"
    for word in ("accompagnées", "intégrées", "migrantes"):
        assert f"<mark>{word}</mark>" in response.hits[0].snippet


def test_a_stop_word_of_one_language_matches_no_record_of_another(search, corpus):
    """The query is read in every language: Spanish "entre" (a stop word) would otherwise match the French
    record where "entre" is a word of its own; a query of stop words only is still read whole."""
    record = next(p for p in corpus if p.id == "fx-19")
    assert record.language == "fr" and "entre" in record.title.split()
    assert "fx-19" not in ids(search("cooperación entre ciudades", mode="keyword", size=100))
    assert "fx-19" in ids(search("entre", mode="keyword", size=100))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("query", NASTY, ids=lambda q: repr(q[:12]))
def test_any_typed_text_is_a_valid_query(search, query, mode):
    response = search(query, mode=mode, size=5)
    assert response.total >= len(response.hits)
    assert len(response.hits) <= 5


@pytest.mark.parametrize("mode", MODES)
def test_a_long_pasted_paragraph_is_a_valid_query(search, corpus, mode):
    """A user pastes a page of text (the longest query there is, 2,000 characters, some 300 distinct words):
    every mode answers, and the record the paragraph opens with ranks first where words rank. OpenSearch
    refuses a query of more than 1,024 clauses (`too_many_nested_clauses`): the engine must stay under it."""
    paragraph = " ".join(p.description for p in corpus)[:2000]
    assert paragraph.startswith(corpus[0].description) and len(set(paragraph.split())) > 200
    response = search(paragraph, mode=mode, size=5)
    assert response.total >= len(response.hits) > 0
    if mode != "semantic":
        assert ids(response)[0] == corpus[0].id


def test_a_word_counts_once_through_the_objective_labels_whatever_their_languages(make_backend, stored, vectors):
    """ "legal" is in the English and the French label of objective 4 ("legal identity", "identité légale"):
    it is one match through the labels, not one per label language, so a record with every query word in its
    title outranks one with a single word in its title and its objective's labels."""
    from models.schemas import Pledge

    clinic = Pledge(
        id="lab-1",
        title="Mobile legal clinic for migrant workers",
        language="en",
        objectives=[11],
        description="Volunteer lawyers visit worksites to advise migrant workers on unpaid wages.",
    )
    identity = Pledge(
        id="lab-2",
        title="Legal identity documents for stateless people",
        language="en",
        objectives=[4],
        description="Mobile registration teams issue birth certificates and "
        "identity documents to stateless and undocumented people in remote areas.",
    )
    engine = make_backend()
    vector = next(iter(vectors.values()))
    engine.upsert([stored(clinic, vector), stored(identity, vector)])
    engine.refresh()
    response = engine.search(SearchRequest(q="mobile legal clinic", mode="keyword"), None)
    assert ids(response) == ["lab-1", "lab-2"]


def test_user_text_is_never_query_syntax(search):
    """`-migrants` does not exclude, `title:x` does not address a field: both are plain words."""
    plain = set(ids(search("migrants", mode="keyword", size=100)))
    dashed = set(ids(search("-migrants", mode="keyword", size=100)))
    assert dashed == plain
    assert search("title:statistics", mode="keyword").hits[0].id == "fx-08"


def test_blank_query_browses_everything_newest_first(search, corpus):
    response = search("", size=100)
    assert response.total == len(corpus) == len(response.hits)
    by_id = {p.id: p for p in corpus}
    dates = [by_id[h].submitted or by_id[h].deadline for h in ids(response)]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[: len(dated)] == dated  # undated records come last


def test_snippets_mark_the_original_words_and_escape_the_rest(search):
    response = search("Venezuelan migrants health", mode="keyword")
    hit = next(h for h in response.hits if h.id == "fx-09")
    for word in ("Venezuelan", "migrants", "health"):
        assert f"<mark>{word}</mark>" in hit.snippet
    assert "<mark>Venezuelan</mark>" in hit.title_highlighted
    escaped = next(h for h in search("legal counselling", mode="keyword").hits if h.id == "fx-16")
    assert "&amp;" in escaped.snippet
    assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;)", escaped.snippet)
    assert re.sub(r"</?mark>", "", escaped.snippet).count("<") == 0


@pytest.mark.parametrize("mode", MODES)
def test_pages_never_repeat_and_add_up_to_the_total(search, mode):
    first = search("migrants in cities", mode=mode, size=5, page=1)
    seen: list[str] = []
    for page in range(1, first.total // 5 + 2):
        response = search("migrants in cities", mode=mode, size=5, page=page)
        assert response.total == first.total
        seen += ids(response)
    assert len(seen) == len(set(seen)) == first.total
    assert seen[:5] == ids(first)


def test_same_request_same_order(search):
    assert ids(search("migrants", size=20)) == ids(search("migrants", size=20))


def test_hits_carry_the_facts_and_scores_per_leg(search):
    response = search("one-stop centre for migrant integration in a city", mode="hybrid")
    hit = response.hits[0]
    assert (hit.entity_name, hit.entity_type, hit.countries, hit.objectives) == (
        "City of Barranquilla (Mayors Mechanism)",
        "local_authority",
        ["COL"],
        [7, 15, 16, 23],
    )
    assert hit.country_names == ["Colombia"] and hit.entity_type_label == "City / local authority"
    assert hit.synthetic is True
    assert hit.scores.keyword is not None and hit.scores.semantic is not None and hit.scores.fused > 0
    keyword_only = search("trafficking", mode="keyword").hits[0]
    assert keyword_only.scores.semantic is None and keyword_only.scores.keyword


def test_weighted_fusion_is_an_option(search):
    response = search("one-stop centre for migrant integration in a city", mode="hybrid", fusion="weighted")
    assert ids(response)[0] == "fx-01"
    assert 0 < response.hits[0].scores.fused <= 2.0


def test_export_lists_the_whole_result_in_page_order(backend, search, embedder):
    query = "migrants in cities"
    request = SearchRequest(q=query, mode="hybrid", size=100)
    exported = [p.id for p in backend.iter_matches(request, embedder.encode_query(query))]
    assert exported == ids(search(query, mode="hybrid", size=100))


def test_sort_orders_apply_to_the_match_set(search, corpus):
    by_id = {p.id: p for p in corpus}
    deadline = search("migrants", mode="keyword", sort="deadline", size=100)
    dated = [by_id[h.id].deadline for h in deadline.hits if by_id[h.id].deadline]
    assert dated == sorted(dated) and deadline.total == search("migrants", mode="keyword").total
    assert all(by_id[h.id].deadline is None for h in deadline.hits[len(dated) :])  # undated last
    titles = [h.title.casefold() for h in search("", sort="title", size=100).hits]
    assert titles == sorted(titles)


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_a_query_reaches_records_in_other_languages_through_the_thesaurus(search, mode):
    """ "health" names a GCM concept whose Spanish words ("salud") carry it to a Spanish record, marked there;
    an English query that names no concept reaches no Spanish record by its words."""
    response = search("health", mode=mode, size=30)
    spanish = next(h for h in response.hits if h.id == "fx-03")
    assert "<mark>salud</mark>" in spanish.snippet
    assert "fx-03" not in ids(search("roof", mode="keyword"))


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_a_nonsense_query_finds_nothing_and_counts_are_believable(search, mode):
    """The match set is what a leg really matches: no keyword, no cosine near a record; and a real query says
    how many of its results are strong matches (never more than the total)."""
    nonsense = search("zzxqv qwpfk blorptang", mode=mode)
    assert nonsense.total == 0 and nonsense.hits == [] and nonsense.strong == 0
    real = search("remittances", mode=mode)
    assert 0 < real.strong <= real.total


def test_a_keyword_query_can_leave_the_objective_labels_out(backend):
    """Similar records read a record's concepts in the other records' own words: "readmission" is in no
    record's text, only in the label of objective 21 that fx-12 declares."""
    reader = backend.reader()
    labelled = reader.keyword_query("readmission")
    assert [i for i, _ in reader.keyword(labelled, Filters(), 10)[0]] == ["fx-12"]
    text_only = reader.keyword_query("readmission", boosts={"title": 1.0, "description": 1.0})
    assert text_only is not None
    assert reader.keyword(text_only, Filters(), 10) == ([], 0)


def test_a_repeated_search_is_answered_alike_until_a_record_changes(make_backend, corpus, vectors, stored, embedder):
    """Answers are kept per generation of the store: the same search gets the same answer, and a write is seen
    by the very next search (an engine that cannot tell when its records change keeps nothing)."""
    from models.schemas import SearchRequest

    engine = make_backend()
    engine.upsert([stored(p, vectors[p.id]) for p in corpus])
    engine.refresh()
    request = SearchRequest(q="remittances", mode="hybrid")
    vector = embedder.encode_query(request.q)
    first = engine.search(request, vector)
    again = engine.search(request, vector)
    assert first.hits and again.model_dump(exclude={"took_ms"}) == first.model_dump(exclude={"took_ms"})
    top = next(p for p in corpus if p.id == first.hits[0].id)
    engine.upsert([stored(top.model_copy(update={"title": "Renamed after the first search"}), vectors[top.id])])
    engine.refresh()
    after = engine.search(request, vector)
    assert {h.title for h in after.hits if h.id == top.id} == {"Renamed after the first search"}
    engine.delete([top.id])
    engine.refresh()
    assert top.id not in {h.id for h in engine.search(request, vector).hits}


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_pages_read_from_one_kept_ranking_join_up_to_the_whole_result(search, mode):
    """Page 2 and page 3 come from the ranking page 1 left (kept per generation): together they are exactly the
    first 15 hits of the same search asked in one page, in another language too, with the same total."""
    pages = [
        search("migrant workers", mode=mode, size=5, page=n, lang=lang) for n, lang in ((1, "en"), (2, "fr"), (3, "es"))
    ]
    whole = search("migrant workers", mode=mode, size=15, facets=False)
    assert [h.id for p in pages for h in p.hits] == [h.id for h in whole.hits]
    assert {p.total for p in pages} == {whole.total} and len(whole.hits) == 15
    assert pages[1].facets and pages[1].facets[0].values[0].label != pages[0].facets[0].values[0].label
