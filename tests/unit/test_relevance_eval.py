"""Relevance measurement and cross-language ranking, on a small invented store embedded by the real model.

`pledges eval` must print what ir-measures computes, and hybrid search must reach records in another
language through the GCM objectives (search_api.core.crosslingual)."""

from __future__ import annotations

import json

import ir_measures
import numpy as np
import pytest
from typer.testing import CliRunner

from models.embedder import Embedder
from models.schemas import Pledge, SearchRequest
from models.settings import Settings, get_settings
from search_api.backends.base import StoredRecord
from search_api.backends.embedded.objectives import analyse
from search_api.backends.factory import create_backend
from search_api.bench.relevance import MEASURES, Query, evaluate
from search_api.cli import app
from search_api.core import crosslingual
from search_api.core.ranking import DEFAULT_RANKING
from search_api.service import SearchService

RECORDS = [  # invented records: (id, language, objectives, title, description)
    (
        "r-remit-en",
        "en",
        [20],
        "Cheaper remittances to West Africa",
        "A price comparison website and a mobile wallet lower the fees migrants pay to send money home.",
    ),
    (
        "r-remit-es",
        "es",
        [20],
        "Remesas más baratas hacia Honduras",
        "Una billetera móvil y un comparador de tarifas reducen el costo de enviar dinero a las familias.",
    ),
    (
        "r-health-en",
        "en",
        [15],
        "Free clinic for migrant families",
        "A municipal clinic offers primary health care to migrants whatever their status, with interpreters.",
    ),
    (
        "r-health-fr",
        "fr",
        [15],
        "Soins de santé gratuits pour les familles migrantes",
        "Un centre municipal offre des soins de santé primaires aux migrants, quel que soit leur statut.",
    ),
    (
        "r-return-en",
        "en",
        [21],
        "Reintegration grants for returnees",
        "Returning migrants receive business training and a start-up grant to rebuild their lives at home.",
    ),
    (
        "r-data-es",
        "es",
        [1],
        "Observatorio municipal de movilidad humana",
        "Una encuesta anual produce datos sobre la población migrante para orientar las políticas locales.",
    ),
    (
        "r-school-en",
        "en",
        [],
        "School places for newly arrived children",
        "The city enrols children who have just arrived in local schools and offers language classes.",
    ),
    (
        "r-hate-fr",
        "fr",
        [17],
        "Campagne contre les rumeurs sur les migrants",
        "Des agents anti-rumeurs formés répondent aux préjugés et aux discours de haine dans les quartiers.",
    ),
]
QUERIES = [
    Query("q-en", "lower cost of sending remittances", "en"),
    Query("q-fr", "soins de santé pour les migrants", "fr"),
    Query("q-es", "datos sobre migración", "es"),
    Query("q-none", "zzyzx quux", "en"),  # judged, matched by nothing in keyword mode: scores 0
]
QRELS = [
    ir_measures.Qrel("q-en", "r-remit-en", 2),
    ir_measures.Qrel("q-en", "r-remit-es", 2),
    ir_measures.Qrel("q-fr", "r-health-fr", 2),
    ir_measures.Qrel("q-fr", "r-health-en", 1),
    ir_measures.Qrel("q-es", "r-data-es", 2),
    ir_measures.Qrel("q-none", "r-school-en", 1),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A real on-disk embedded store of the invented records, vectors from the real model."""
    path = tmp_path_factory.mktemp("relevance")
    embedder = Embedder()
    pledges = [Pledge(id=i, language=lang, objectives=objs, title=t, description=d) for i, lang, objs, t, d in RECORDS]
    vectors = embedder.encode_documents([f"{p.title}\n\n{p.description}" for p in pledges])
    settings = Settings(data_dir=path)
    backend = create_backend(settings, dimension=vectors.shape[1], model_name=embedder.model_name)
    backend.upsert([StoredRecord(p, v, f"h-{p.id}") for p, v in zip(pledges, vectors, strict=True)])
    backend.close()
    return path, embedder


@pytest.fixture(scope="module")
def service(store):
    path, embedder = store
    service = SearchService(Settings(data_dir=path), embedder=embedder)
    yield service
    service.close()


def expected_rows(service: SearchService, mode: str) -> dict[str, dict[str, float]]:
    """The same searches scored by ir-measures directly, per language group; an unanswered query counts 0."""
    run = []
    for query in QUERIES:
        hits = service.search(SearchRequest(q=query.text, mode=mode, size=20, facets=False)).hits
        run += [ir_measures.ScoredDoc(query.id, h.id, float(20 - r)) for r, h in enumerate(hits)]
    groups = {"all": [q.id for q in QUERIES]}
    for query in QUERIES:
        groups.setdefault(query.language, []).append(query.id)
    out = {}
    for group, ids in groups.items():
        answered = {d.query_id for d in run if d.query_id in ids}
        qrels = [q for q in QRELS if q.query_id in answered]
        scored = [d for d in run if d.query_id in ids]
        values = ir_measures.calc_aggregate(list(MEASURES.values()), qrels, scored)
        out[group] = {name: values.get(m, 0.0) * len(answered) / len(ids) for name, m in MEASURES.items()}
    return out


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_eval_table_holds_what_ir_measures_computes(service, mode):
    rows = evaluate(service.search, QUERIES, QRELS, [mode])
    expected = expected_rows(service, mode)
    assert {row["language"] for row in rows} == {"all", "en", "fr", "es"}
    for row in rows:
        assert row["mode"] == mode
        for name in MEASURES:
            assert row[name] == pytest.approx(expected[row["language"]][name], abs=1e-4), (row, name)


def test_an_unanswered_query_scores_zero_and_lowers_its_group(service):
    rows = {r["language"]: r for r in evaluate(service.search, QUERIES, QRELS, ["keyword"])}
    q_none_only = evaluate(service.search, [QUERIES[3]], QRELS, ["keyword"])
    assert all(q_none_only[0][name] == 0.0 for name in MEASURES)
    assert rows["en"]["queries"] == 2 and rows["all"]["queries"] == 4


def test_pledges_eval_prints_the_table_as_json(store, tmp_path, monkeypatch, service):
    path, _ = store
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        "\n".join(json.dumps({"id": q.id, "text": q.text, "language": q.language}) for q in QUERIES), encoding="utf-8"
    )
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("\n".join(f"{q.query_id} 0 {q.doc_id} {q.relevance}" for q in QRELS), encoding="utf-8")
    monkeypatch.setenv("PLEDGES_DATA_DIR", str(path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["eval", "--queries", str(queries), "--qrels", str(qrels), "--modes", "keyword", "--json"]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    printed = {r["language"]: r for r in json.loads(result.output[result.output.index("{") :])["rows"]}
    expected = expected_rows(service, "keyword")
    for group, values in expected.items():
        for name, value in values.items():
            assert printed[group][name] == pytest.approx(value, abs=1e-4)


def test_a_french_query_reaches_an_english_record_on_the_same_objective(service):
    hits = service.search(SearchRequest(q="envois de fonds moins coûteux", mode="hybrid", size=5)).hits
    ids = [h.id for h in hits]
    assert "r-remit-en" in ids[:3] and "r-remit-es" in ids[:3], ids


def test_objective_labels_are_searchable_in_every_language(service):
    hits = service.search(SearchRequest(q="remesas", mode="keyword", size=10)).hits
    assert {"r-remit-en", "r-remit-es"} <= {h.id for h in hits}


def test_query_words_name_objectives_in_any_of_the_three_languages():
    cases = [
        ("remittances", 20),
        ("remesas", 20),
        ("envois de fonds", 20),
        ("traite des personnes", 10),
        ("trata de personas", 10),
        ("consular protection", 14),
    ]
    for text, number in cases:
        named = crosslingual.named_objectives(text, analyse)
        assert int(np.argmax(named)) + 1 == number, text
        assert named.sum() == pytest.approx(1.0)
    assert not crosslingual.named_objectives("zzyzx", analyse).any()


def test_query_language_follows_the_stored_records():
    counts = {("remesas", "es"): 40, ("data", "en"): 90, ("données", "fr"): 30}
    sizes = {"en": 100, "fr": 50, "es": 50}

    def frequency(word: str, lang: str) -> int:
        return counts.get((word, lang), 0)

    guess = crosslingual.language_probabilities(["remesas"], frequency, sizes)
    assert max(guess, key=guess.get) == "es"
    guess = crosslingual.language_probabilities(["data"], frequency, sizes)
    assert max(guess, key=guess.get) == "en"
    flat = crosslingual.language_probabilities([], lambda w, lang: 0, {})
    assert flat == pytest.approx({"en": 1 / 3, "fr": 1 / 3, "es": 1 / 3})


def test_the_english_model_counts_less_for_other_languages():
    params = DEFAULT_RANKING
    assert crosslingual.semantic_weight(params, {"en": 1.0}) == params.semantic_weight
    assert crosslingual.semantic_weight(params, {"fr": 1.0}) == params.semantic_weight_other
    multilingual = params.with_(semantic_weight_other=params.semantic_weight)
    assert crosslingual.semantic_weight(multilingual, {"es": 1.0}) == params.semantic_weight


def test_records_without_objectives_get_the_nearest_centroids_and_declared_ones_stay():
    matrix = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.95, 0.05], [0.1, 0.9, 0]], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    declared = [[20], [20], [15], [15, 3], []]
    inferred = crosslingual.infer_objectives(matrix, declared, 1)
    assert inferred[:4] == declared[:4] and inferred[4] == [15]
    assert crosslingual.infer_objectives(matrix, declared, 0)[4] == []


def test_the_objective_leg_ranks_by_profile_share_then_cosine():
    profile = np.zeros(crosslingual.OBJECTIVE_COUNT)
    profile[19], profile[14] = 0.75, 0.25
    objectives = {"a": [20], "b": [15], "c": [20, 15], "d": [3], "e": [20]}
    leg = crosslingual.objective_leg(list(objectives), objectives.__getitem__, profile, {"a": 0.2, "e": 0.5})
    assert [i for i, _ in leg] == ["c", "e", "a", "b"]
    feedback = crosslingual.feedback_objectives(["a", "c"], objectives.__getitem__, 10)
    assert feedback[19] == pytest.approx(0.75) and feedback[14] == pytest.approx(0.25)
