"""The Search page's controls in Streamlit's AppTest over the live API: sort order, deadline range, the
real / synthetic choice and the objective scope read from the URL and write to it; an empty result offers the ways
out."""
# The phone's copy of the filters has keys that start with "m_", so `widget(..., "deadline_from_")` finds the
# sidebar's one.

from __future__ import annotations

import re

import httpx
import pytest
from md_escapes import plain

from ui.api_client import ApiClient

pytestmark = pytest.mark.slow

SYNTHETIC_QUERY = "seasonal farmworker housing"  # finds the two synthetic fixture records among real ones


def api_search(api_url: str, **params: object) -> dict:
    """What the API answers for a search, to compare the page with."""
    return httpx.get(f"{api_url}/search", params=params, timeout=60).json()


def titles(app) -> list[str]:
    """Result titles in the order shown (each card's title is a page link, label in bold)."""
    return [plain(link.proto.label.strip("*")) for link in app.get("page_link")]


def cards(app) -> list[str]:
    """The HTML body of each result card, in order."""
    return [h.proto.body for h in app.get("html") if 'class="gcm-card"' in h.proto.body]


def widget(elements, prefix: str):
    """The one widget whose key starts with `prefix` (keys end with the search's signature)."""
    found = [e for e in elements if e.key and e.key.startswith(prefix)]
    assert len(found) == 1, [e.key for e in elements]
    return found[0]


def test_a_url_with_order_range_and_origin_sets_the_controls_and_runs_that_search(run_app, api_server) -> None:
    params = {
        "q": "migrants",
        "sort": "title",
        "synthetic": "false",
        "deadline_from": "2024-01-01",
        "deadline_to": "2024-12-31",
    }
    app = run_app(api_server.url, **params)
    assert not app.exception and not app.error
    assert widget(app.selectbox, "sort_").value == "title"
    assert widget(app.radio, "origin_").value == "real"
    # Deadlines are picked by year (a date picker would print English month names in every language).
    assert widget(app.selectbox, "deadline_from_").value == "2024"
    assert widget(app.selectbox, "deadline_to_").value == "2024"
    # The bundled corpus has one dated record in 2024: Barranquilla's pledge (deadline 2024-07-31).
    assert titles(app) == ["Center for the Local Integration of Migrants"]
    assert any(m.value.startswith("**1 result**") for m in app.markdown)
    assert "2024-07-31" in cards(app)[0]


def test_results_come_in_the_order_chosen(run_app, api_server) -> None:
    for order in ("title", "newest"):
        app = run_app(api_server.url, q="migrants", mode="keyword", sort=order)
        expected = api_search(api_server.url, q="migrants", mode="keyword", sort=order)
        assert titles(app) == [hit["title"] for hit in expected["hits"]], order
    relevance = api_search(api_server.url, q="migrants", mode="keyword")
    assert [hit["title"] for hit in relevance["hits"]] != titles(app)
    by_title = run_app(api_server.url, q="migrants", mode="keyword", sort="title")
    assert titles(by_title) == sorted(titles(by_title), key=str.casefold)


def test_the_controls_write_the_url(run_app, api_server) -> None:
    app = run_app(api_server.url, q=SYNTHETIC_QUERY, page="2")
    widget(app.selectbox, "sort_").set_value("deadline").run()
    assert dict(app.query_params) == {"q": SYNTHETIC_QUERY, "sort": "deadline"}  # back to page 1
    widget(app.radio, "origin_").set_value("synthetic").run()
    assert app.query_params["synthetic"] == "true"
    widget(app.selectbox, "deadline_to_").set_value("2031").run()
    widget(app.selectbox, "deadline_from_").set_value("2030").run()
    assert (app.query_params["deadline_from"], app.query_params["deadline_to"]) == ("2030-01-01", "2031-12-31")
    assert titles(app) == ["SYNTHETIC test record: seasonal farmworker housing desk in Testville"]
    widget(app.button, "deadline_clear_").click().run()
    widget(app.radio, "origin_").set_value("all").run()
    assert dict(app.query_params) == {"q": SYNTHETIC_QUERY, "sort": "deadline"}
    assert not app.exception and not app.error


def test_synthetic_records_keep_their_badge_whatever_the_choice(run_app, api_server) -> None:
    every = run_app(api_server.url, q=SYNTHETIC_QUERY)
    shown = dict(zip(titles(every), cards(every), strict=True))
    synthetic = {title for title in shown if title.startswith("SYNTHETIC test record")}
    assert len(synthetic) == 2 and len(shown) > 2  # all records by default: real and synthetic together
    for title, card in shown.items():
        assert ('class="gcm-badge-synthetic"' in card) == (title in synthetic), title

    only = run_app(api_server.url, q=SYNTHETIC_QUERY, synthetic="true")
    assert set(titles(only)) == synthetic
    assert all(">SYNTHETIC</span>" in card for card in cards(only))

    real = run_app(api_server.url, q=SYNTHETIC_QUERY, synthetic="false")
    assert titles(real) and not synthetic & set(titles(real))
    assert not any("gcm-badge-synthetic" in card for card in cards(real))


def test_no_results_says_so_and_offers_clearing_filters_or_a_semantic_search(run_app, api_server) -> None:
    # No record holds the word "guestworkers"; its meaning (guest workers) is in the corpus.
    query = {"q": "guestworkers", "objective": "15"}
    app = run_app(api_server.url, mode="keyword", lang="fr", **query)
    assert not app.exception and not app.error
    message = app.info[0].value
    assert message.startswith("Aucun enregistrement ne correspond à cette recherche.")
    assert "Effacez les filtres" in message and "sémantique ou hybride" in message
    labels = {b.label for b in app.button if b.key and b.key.startswith("empty_")}
    assert labels == {"Effacer les filtres", "Essayer la recherche sémantique", "Essayer la recherche hybride"}

    widget(app.button, "empty_try_hybrid_").click().run()
    assert dict(app.query_params) == {**query, "lang": "fr"}
    expected = api_search(api_server.url, objective_scope="all", **query)  # the UI's scope, not the API's default
    assert expected["total"] > 0 and titles(app) == [hit["title"] for hit in expected["hits"]]

    cleared = run_app(api_server.url, mode="keyword", **query)
    widget(cleared.button, "empty_clear_filters_").click().run()
    assert dict(cleared.query_params) == {"q": "guestworkers", "mode": "keyword"}
    assert cleared.info[0].value.startswith("No record matches this search.")
    assert "Clear the filters" not in cleared.info[0].value and "semantic or hybrid" in cleared.info[0].value


def test_a_page_past_the_last_one_says_so_and_leads_back(run_app, api_server) -> None:
    app = run_app(api_server.url, q="migrants", page="99")
    assert app.info[0].value == "This page is past the last page of results."
    widget(app.button, "first_").click().run()
    assert dict(app.query_params) == {"q": "migrants"}
    assert len(titles(app)) == 10


def test_facets_are_named_in_french_with_regions_and_subregions_apart(run_app, api_server) -> None:
    app = run_app(api_server.url, lang="fr")
    assert not app.exception and not app.error
    taxonomy = httpx.get(f"{api_server.url}/taxonomy", params={"lang": "fr"}, timeout=60).json()
    named = {group: {term["label"] for term in taxonomy[group]} for group in ("principles", "regions", "subregions")}

    def shown(facet: str) -> set[str]:
        boxes = [box.label for box in app.checkbox if box.key.startswith(f"f_{facet}_")]
        assert boxes, facet
        return {plain(label.rsplit(" (", 1)[0]) for label in boxes}

    assert shown("principle") <= named["principles"]
    assert shown("region") <= named["regions"] and "Amériques" in shown("region")
    assert shown("subregion") <= named["subregions"] and "Amérique latine et Caraïbes" in shown("subregion")
    expanders = [e.label for e in app.expander]
    assert expanders.index("Région") + 1 == expanders.index("Sous-région")
    assert any(box.label.startswith("15 · Services de base (") for box in app.checkbox)


def objective_count(app, objective: str) -> str:
    """What the sidebar's objective facet says beside one objective: "(n)" or "(n, m suggested)"."""
    return re.search(r"\([^()]*\)$", widget(app.checkbox, f"f_objective_{objective}_").label).group(0)


def test_a_fresh_page_reads_suggested_objectives_too_and_says_how_many_each_count_holds(
    run_app, api_server, monkeypatch
) -> None:
    sent: list[list[tuple[str, str]]] = []
    get = ApiClient._get

    def recording(self, path, params=None):
        if path == "/search":
            sent.append(list(params or ()))
        return get(self, path, params)

    monkeypatch.setattr(ApiClient, "_get", recording)
    app = run_app(api_server.url)
    assert not app.exception and not app.error
    assert sent and all(("objective_scope", "all") in params for params in sent)  # the API's default is declared
    assert widget(app.radio, "scope_").value == "all" and dict(app.query_params) == {}

    declared = next(f for f in api_search(api_server.url, size=1)["facets"] if f["name"] == "objective")
    declared_15 = next(v["count"] for v in declared["values"] if v["value"] == "15")
    shown = re.fullmatch(r"\((\d+), (\d+) suggested\)", objective_count(app, "15"))
    assert shown, objective_count(app, "15")
    count, suggested = int(shown.group(1)), int(shown.group(2))
    assert count > declared_15 and count - suggested == declared_15  # records whose objective 15 is only suggested

    widget(app.radio, "scope_").set_value("declared").run()
    assert dict(app.query_params) == {"objective_scope": "declared"}
    assert objective_count(app, "15") == f"({declared_15})"
    assert not any(name == "objective_scope" for name, _ in sent[-1])  # declared: the API's own default
    widget(app.radio, "scope_").set_value("all").run()
    assert dict(app.query_params) == {} and objective_count(app, "15") == shown.group(0)
