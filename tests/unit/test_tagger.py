"""The objective tagger (models/tagger.py): clear texts in English, French and Spanish get the right objective,
declared objectives are never suggested again, and the shipped model matches the profiles it was fitted with."""

from __future__ import annotations

import numpy as np
import pytest

from models.schemas import Pledge
from models.tagger import (
    MAX_SUGGESTIONS,
    MODEL_PATH,
    ObjectiveTagger,
    TaggerParams,
    default_tagger,
    profiles_digest,
    profiles_text,
    suggest_for,
)
from models.tagger_text import analyse, named_objectives, read_document

# Written for this test, one clear objective each: remittances (20), trafficking (10), alternatives to detention (13).
CLEAR_TEXTS = {
    (20, "en"): "Cheaper money transfers home: the central bank and mobile operators cut the fees migrant workers pay "
    "to send remittances to their families, and open bank accounts for the people who receive them.",
    (20, "fr"): "Réduire le coût des transferts d'argent des travailleurs migrants vers leurs familles : une "
    "plateforme compare les frais des opérateurs et encourage l'envoi de fonds par téléphone mobile.",
    (20, "es"): "Remesas más baratas: el banco central y las empresas remesadoras reducen las comisiones que pagan "
    "los trabajadores migrantes para enviar dinero a sus familias.",
    (10, "en"): "Shelter and legal aid for survivors of human trafficking: police and social workers are trained to "
    "identify victims of sexual exploitation and forced labour, and traffickers are prosecuted.",
    (10, "fr"): "Protection des victimes de la traite des êtres humains : un foyer d'accueil, une assistance "
    "juridique et la formation des policiers pour identifier les victimes d'exploitation sexuelle.",
    (10, "es"): "Atención a víctimas de trata de personas: albergue, asistencia legal y capacitación a policías para "
    "identificar a las víctimas de explotación sexual y laboral.",
    (13, "en"): "Instead of locking up families in immigration detention, caseworkers support them in the community "
    "while their cases are decided; no child is detained.",
    (13, "fr"): "Plutôt que le placement en rétention administrative, les familles migrantes sont hébergées dans la "
    "communauté avec un accompagnement social ; aucun enfant n'est enfermé dans un centre de rétention.",
    (13, "es"): "En lugar de la detención migratoria, las familias son acompañadas en la comunidad mientras se "
    "resuelve su caso; ninguna niña ni niño es privado de libertad en estaciones migratorias.",
}


@pytest.mark.parametrize(("objective", "language"), sorted(CLEAR_TEXTS))
def test_a_clear_text_gets_its_objective_first_in_each_language(objective: int, language: str) -> None:
    suggested = default_tagger().suggest(CLEAR_TEXTS[objective, language], language)
    assert suggested[0].objective == objective
    assert suggested[0].confidence >= 0.8


@pytest.mark.parametrize(("objective", "language"), sorted(CLEAR_TEXTS))
def test_a_declared_objective_is_never_suggested_again(objective: int, language: str) -> None:
    suggested = default_tagger().suggest(CLEAR_TEXTS[objective, language], language, declared=[objective])
    assert objective not in [s.objective for s in suggested]
    assert all(s.confidence >= TaggerParams().extra_threshold for s in suggested)  # extras only when sure


def test_suggestions_are_few_ordered_and_distinct_and_every_undeclared_record_gets_one() -> None:
    tagger = default_tagger()
    for text, language in [
        (CLEAR_TEXTS[10, "en"], "en"),
        ("Nothing about migration at all.", "en"),
        ("مشروع الخدمات البلدية", "ar"),
    ]:
        suggested = tagger.suggest(text, language)
        assert 1 <= len(suggested) <= MAX_SUGGESTIONS
        confidences = [s.confidence for s in suggested]
        assert confidences == sorted(confidences, reverse=True)
        assert len({s.objective for s in suggested}) == len(suggested)
        assert all(0.0 <= c <= 1.0 for c in confidences)


def test_suggest_for_reads_title_and_description_in_the_records_language() -> None:
    pledge = Pledge(id="p1", title="Remesas", description=CLEAR_TEXTS[20, "es"], language="es", objectives=[6])
    suggested = suggest_for(pledge)
    assert 6 not in [s.objective for s in suggested]
    assert suggest_for(pledge.model_copy(update={"objectives": []}))[0].objective == 20


def test_cognates_meet_across_languages_once_stemmed_and_folded() -> None:
    assert analyse("intégration", "fr") == analyse("integración", "es") == analyse("integration", "en")
    assert analyse("Global Compact for Safe, Orderly and Regular Migration", "en") == []  # the Compact's name


def test_objectives_named_by_number_are_read_and_other_numbers_are_not() -> None:
    assert named_objectives("It is tied to GCM Objective 4 and to objetivo n° 15.") == {4, 15}
    assert named_objectives("It serves the objectives on vulnerabilities (7) and basic services (15).") == {7, 15}
    assert named_objectives("Phase (2) starts in 2024. Son objectif : 3 000 hectares; objective 42.") == frozenset()


def test_the_shipped_tagger_was_fitted_with_the_current_profiles() -> None:
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        assert str(data["profiles_sha256"]) == profiles_digest(), "profiles changed: run `pledges train-tagger`"
    assert set(profiles_text()) == set(range(1, 24))
    assert all(set(texts) == {"en", "fr", "es"} for texts in profiles_text().values())


def test_a_saved_tagger_loads_back_with_the_same_suggestions(tmp_path) -> None:
    docs = [read_document(CLEAR_TEXTS[key], key[1]) for key in sorted(CLEAR_TEXTS)]
    labels = [[key[0]] for key in sorted(CLEAR_TEXTS)]
    fitted = ObjectiveTagger.fit(docs, labels, TaggerParams(calibration_folds=3))
    fitted.save(tmp_path / "tagger.npz")
    loaded = ObjectiveTagger.load(tmp_path / "tagger.npz")
    assert loaded.calibration == fitted.calibration and loaded.params == fitted.params
    for doc in docs:
        assert np.allclose(loaded.confidences(doc), fitted.confidences(doc), atol=0.01)
