"""Keyword ranking on the embedded engine (hand-made records, vectors given, no model): stop words of other
languages match nothing, and a query word counts once per record through the objective labels."""

from __future__ import annotations

import numpy as np
import pytest

from models.schemas import Pledge, SearchRequest
from search_api.backends.base import StoredRecord
from search_api.backends.embedded import EmbeddedBackend

RECORDS = [  # (id, language, objectives, title, description)
    (
        "clinic",
        "en",
        [6],
        "Mobile legal clinic for migrant workers",
        "Volunteer lawyers visit worksites to advise on unpaid wages and contracts.",
    ),
    (
        "identity",
        "en",
        [4],
        "Legal identity documents for stateless people",
        "Mobile registration teams issue birth certificates to undocumented people in remote areas.",
    ),
    (
        "health",
        "en",
        [15],
        "Mobile health brigades on the border",
        "Nurses and doctors travel to border towns to vaccinate migrant children.",
    ),
    (
        "remit",
        "en",
        [20],
        "Cheaper remittances home",
        "A price comparison website lowers the fees migrants pay to send money to their families.",
    ),
    (
        "fr-school",
        "fr",
        [15],
        "Une école a ouvert ses portes aux enfants migrants",
        "La commune a inscrit les enfants arrivés en cours d'année et propose des cours de français.",
    ),
    (
        "es-fair",
        "es",
        [16],
        "Feria de empleo con empresas locales",
        "Las personas migrantes conocen a empleadores de la ciudad.",
    ),
]


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    engine = EmbeddedBackend(tmp_path_factory.mktemp("keyword") / "store", 3, "all-MiniLM-L6-v2")
    rng = np.random.default_rng(7)
    records = []
    for i, (rid, lang, objectives, title, description) in enumerate(RECORDS):
        vector = rng.normal(size=3).astype(np.float32)
        pledge = Pledge(id=rid, title=title, description=description, objectives=objectives, language=lang)
        records.append(StoredRecord(pledge, vector / np.linalg.norm(vector), f"h{i}"))
    engine.upsert(records)
    yield engine
    engine.close()


def keyword(backend, q: str) -> list[str]:
    return [h.id for h in backend.search(SearchRequest(q=q, mode="keyword", size=20), None).hits]


def test_every_query_word_in_the_title_outranks_one_word_matched_again_through_the_labels(backend):
    """ "legal" is in the identity record's title and in its objective's label ("proof of legal identity"):
    one match, not two, so the record holding all three words in its title comes first."""
    assert keyword(backend, "mobile legal clinic")[:2] == ["clinic", "identity"]


def test_the_labels_still_reach_a_record_whose_text_lacks_the_word(backend):
    """Spanish "identidad" is in no record's text, only in objective 4's Spanish label."""
    assert keyword(backend, "identidad jurídica") == ["identity"]


def test_an_english_stop_word_matches_no_french_record(backend):
    """French "a" (has) is a word of the French record; the English article of the query is not."""
    assert "fr-school" not in keyword(backend, "a legal clinic")
    assert keyword(backend, "a") == ["fr-school"]  # a query of stop words only is read whole
