"""Turning OpenSearch answers into our schemas, and records into documents: pure functions, no server."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np

from models.schemas import Pledge, Scores
from search_api.backends.opensearch.documents import (
    bulk_failures,
    delete_actions,
    index_actions,
    not_found_count,
    to_document,
)
from search_api.backends.opensearch.responses import counts_from_aggs, hit_from_raw, pledge_from_source
from search_api.backends.opensearch.snippets import from_highlight, parse_marked, snippet

P, E = "\ue000", "\ue001"  # what queries.highlight asks OpenSearch to wrap matches in


def pledge(**extra) -> Pledge:
    base = dict(
        id="sub-1",
        title="Orientación a población venezolana",
        description="Cada migrante venezolano recibe orientación jurídica.",
        language="es",
        entity_name="Alcaldía  de Cúcuta",
        entity_type="local_authority",
        countries=["COL", "GLOBAL"],
        objectives=[15, 7],
        submitted=dt.date(2022, 6, 1),
        deadline=dt.date(2023, 12, 31),
    )
    return Pledge(**{**base, **extra})


def test_marks_land_on_the_original_words_and_everything_else_is_escaped():
    marked = f'<script>alert(1)</script> cada {P}migrante{E} {P}venezolano{E} & "otros"'
    text, spans = parse_marked(marked)
    assert text == '<script>alert(1)</script> cada migrante venezolano & "otros"'
    assert [text[s.start : s.end] for s in spans] == ["migrante", "venezolano"]
    assert from_highlight(text, marked) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; cada <mark>migrante</mark> <mark>venezolano</mark> "
        "&amp; &quot;otros&quot;"
    )


def test_a_long_description_is_cut_around_the_marked_words_with_ellipses():
    text = "word " * 100 + "the one-stop centre for migrants " + "tail " * 100
    start = text.index("centre")
    marked = text[:start] + f"{P}centre{E}" + text[start + len("centre") :]
    cut = from_highlight(text, marked)
    assert cut.startswith("… ") and cut.endswith(" …") and "<mark>centre</mark>" in cut
    assert len(cut) <= 240 + len("<mark></mark>") + 4
    _, spans = parse_marked(marked)
    assert snippet(text, spans) == cut


def test_no_marks_gives_the_start_of_the_text_and_a_mismatch_never_shows_wrong_marks():
    text = "Short <b>text</b>"
    assert from_highlight(text, None) == "Short &lt;b&gt;text&lt;/b&gt;"
    assert from_highlight(text, f"{P}Other{E} text") == "Short &lt;b&gt;text&lt;/b&gt;"
    assert from_highlight("  padded word ", f"padded {P}word{E}", whole=True) == "  padded <mark>word</mark> "


def test_hit_marks_the_subfield_of_the_records_own_language_only():
    source = to_document(pledge(), np.ones(3, dtype=np.float32), "h1")
    kept = {k: v for k, v in source.items() if k not in ("vector", "content_hash")}
    raw = {
        "_id": "sub-1",
        "_source": kept,
        "highlight": {
            "description.en": [f"Cada {P}migrante{E} venezolano recibe orientación jurídica."],
            "description.es": [f"Cada migrante {P}venezolano{E} recibe orientación jurídica."],
            "title.es": [f"Orientación a población {P}venezolana{E}"],
        },
    }
    hit = hit_from_raw(raw, "fr", Scores(keyword=1.5, fused=1.5))
    assert hit.snippet == "Cada migrante <mark>venezolano</mark> recibe orientación jurídica."
    assert hit.title_highlighted == "Orientación a población <mark>venezolana</mark>"
    assert hit.entity_type_label == "Ville / autorité locale"
    assert hit.country_names[0] == "Colombie" and hit.country_names[1] == "Mondial"
    assert hit.scores.keyword == 1.5


def test_facet_counts_read_every_bucket_of_every_facet():
    aggs = {
        "objective": {
            "doc_count": 9,
            "values": {
                "buckets": [{"key": 15, "doc_count": 5}, {"key": 7, "doc_count": 4}, {"key": 3, "doc_count": 1}]
            },
        },
        "country": {"doc_count": 3, "values": {"buckets": [{"key": "COL", "doc_count": 3}]}},
    }
    counts = counts_from_aggs(aggs)
    assert counts["objective"] == {"15": 5, "7": 4, "3": 1}
    assert counts["country"] == {"COL": 3}
    assert counts["region"] == {}


def test_a_document_holds_the_record_its_vector_and_its_sort_keys():
    doc = to_document(pledge(), np.array([0.5, 0.25], dtype=np.float32), "hash-1")
    assert doc["vector"] == [0.5, 0.25] and doc["content_hash"] == "hash-1"
    assert doc["sort_title"] == "orientacion a poblacion venezolana"
    assert doc["entity_key"] == pledge().entity_key  # the indexer's key (what the entity is), stored as given
    assert doc["newest"] == "2022-06-01" and doc["deadline"] == "2023-12-31"
    assert doc["objective_labels"]["es"].startswith("Proporcionar a los migrantes acceso a servicios básicos")
    assert "Services de base" in doc["objective_labels"]["fr"]
    assert pledge_from_source(doc) == pledge()
    assert to_document(pledge(submitted=None), np.zeros(2), "h")["newest"] == "2023-12-31"


def test_bulk_actions_and_their_failures():
    class Record:
        def __init__(self, p: Pledge) -> None:
            self.pledge, self.vector, self.content_hash = p, np.zeros(2), "h"

    [action] = index_actions([Record(pledge())], "pledges")
    assert (action["_op_type"], action["_index"], action["_id"]) == ("index", "pledges", "sub-1")
    assert delete_actions(["a", "b", "a"], "pledges") == [
        {"_op_type": "delete", "_index": "pledges", "_id": "a"},
        {"_op_type": "delete", "_index": "pledges", "_id": "b"},
    ]
    errors = [
        {"delete": {"_id": "b", "status": 404, "result": "not_found"}},
        {
            "index": {
                "_id": "c",
                "status": 400,
                "error": {"type": "mapper_parsing_exception", "reason": "failed to parse field [vector]"},
            }
        },
    ]
    assert not_found_count(errors) == 1
    assert bulk_failures(errors, ignore_not_found=True) == [
        "index c: mapper_parsing_exception: failed to parse field [vector]"
    ]


def test_without_opensearch_py_the_backend_says_what_to_install():
    """In a fresh interpreter where `import opensearchpy` fails, as it does without the extra."""
    script = (
        "import sys; sys.modules['opensearchpy'] = None\n"
        "from search_api.backends.opensearch import queries\n"
        "assert queries.as_filter([]) == {'match_all': {}}  # the pure modules need no client\n"
        "try:\n"
        "    from search_api.backends.opensearch import OpenSearchBackend\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 0, out.stderr
    assert 'pip install ".[opensearch]"' in out.stdout
