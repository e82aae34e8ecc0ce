"""The Pledge page in Streamlit's AppTest over the live API: an unknown id is "not found", the neighbours'
options live in the URL, and every neighbour says why it is one, by name, in the interface language."""

from __future__ import annotations

import httpx
import pytest
from md_escapes import plain

pytestmark = pytest.mark.slow

BARRANQUILLA = "sub-2291"


def similar(api_url: str, **params: object) -> list[dict]:
    """The API's neighbours of Barranquilla's pledge under these options."""
    return httpx.get(f"{api_url}/pledges/{BARRANQUILLA}/similar", params={"k": 8, **params}, timeout=60).json()["data"]


def titles(hits: list[dict]) -> list[str]:
    """The API's neighbours as the page lists them: peers first, records of the same initiative set apart."""
    return [h["title"] for h in hits if not h["same_initiative"]] + [h["title"] for h in hits if h["same_initiative"]]


def neighbours(app) -> list[str]:
    """Titles of the similar-pledge cards, in order (the page's links but 'Back to search')."""
    return [plain(link.proto.label.strip("*")) for link in app.get("page_link") if link.proto.label.startswith("**")]


def why(app) -> list[str]:
    """The HTML of each neighbour's card body (meta line and reasons), in order."""
    return [h.proto.body for h in app.get("html") if 'class="gcm-why"' in h.proto.body]


def toggle(app, param: str):
    return next(t for t in app.toggle if t.key.startswith(f"{param}_"))


def test_an_unknown_id_is_not_found_with_a_box_for_another(run_app, api_server) -> None:
    app = run_app(api_server.url, screen="pledge", id="no-such-pledge")
    assert not app.exception and not app.error
    assert plain(app.warning[0].value).startswith("Pledge not found: no record has the id no-such-pledge.")
    app.text_input(key="other_id").input(BARRANQUILLA).run()
    assert app.query_params["id"] == BARRANQUILLA
    assert app.title[0].value == "Center for the Local Integration of Migrants"


def test_the_options_follow_the_url_and_match_the_api(run_app, api_server) -> None:
    app = run_app(api_server.url, screen="pledge", id=BARRANQUILLA)
    assert not toggle(app, "other_countries").value and not toggle(app, "other_entities").value
    assert neighbours(app) == titles(similar(api_server.url))

    toggle(app, "other_entities").set_value(True).run()
    assert app.query_params["other_entities"] == "true"
    assert neighbours(app) == titles(similar(api_server.url, other_entities=True))
    toggle(app, "other_countries").set_value(True).run()
    both = similar(api_server.url, other_entities=True, other_countries=True)
    assert neighbours(app) == titles(both)
    assert not any("Colombia" in body for body in why(app))

    shared = run_app(api_server.url, screen="pledge", id=BARRANQUILLA, other_entities="true")
    assert toggle(shared, "other_entities").value and not toggle(shared, "other_countries").value
    toggle(shared, "other_entities").set_value(False).run()
    assert "other_entities" not in shared.query_params


def test_each_neighbour_says_why_by_name_in_spanish(run_app, api_server) -> None:
    app = run_app(api_server.url, screen="pledge", id=BARRANQUILLA, other_countries="true", lang="es")
    assert not app.exception and not app.error
    taxonomy = httpx.get(f"{api_server.url}/taxonomy", params={"lang": "es"}, timeout=60).json()
    short = {int(term["code"]): term["short"] or term["label"] for term in taxonomy["objectives"]}
    kinds = {term["code"]: term["label"] for term in taxonomy["entity_types"]}
    hits = similar(api_server.url, other_countries=True)
    bodies = why(app)
    assert len(bodies) == len(hits) > 0
    for hit, body in zip(hits, bodies, strict=True):
        assert "Por qué es similar:" in body
        if hit["shared_objectives"]:
            names = ", ".join(f"{n} · {short[n]}" for n in hit["shared_objectives"])
            assert f"Objetivos del PMM compartidos: {names}" in body.replace("&amp;", "&")
        assert (f"Mismo tipo de entidad: {kinds.get(hit['entity_type'])}" in body) == hit["same_entity_type"]
        assert f"Similitud del texto {hit['similarity']:.2f}".replace(".", ",") in body
