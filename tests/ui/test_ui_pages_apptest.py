"""The pages without a browser (Streamlit's AppTest): an API that is down, hung or refusing shows a message,
never a traceback; the pages render from the live API."""

from __future__ import annotations

import pytest
from md_escapes import plain


@pytest.mark.parametrize("page", ["search", "pledge", "explore", "compare"])
def test_an_api_that_is_down_gets_a_clear_message_on_every_page(run_app, closed_api_url: str, page: str) -> None:
    down = closed_api_url
    app = run_app(down, screen=None if page == "search" else page, id="sub-2291")
    assert not app.exception
    assert [plain(e.value) for e in app.error] == [
        f"The search service cannot be reached ({down}). Please try again in a moment."
    ]


def test_a_hung_api_gets_the_same_message_after_the_timeout(run_app, hung_api_url: str) -> None:
    app = run_app(hung_api_url, timeout_s=0.5, q="migrants")
    assert not app.exception
    assert "cannot be reached" in app.error[0].value


@pytest.mark.slow
def test_a_bookmarked_search_renders_its_results_and_filters(run_app, api_server) -> None:
    app = run_app(api_server.url, q="one-stop centre for migrants", objective=["15"], lang="es")
    assert not app.exception and not app.error
    ticked = [box.label for box in app.checkbox if box.value]
    assert any(label.startswith("15 · Servicios básicos (") for label in ticked)
    assert app.text_input[0].value == "one-stop centre for migrants"
    assert any("resultados" in m.value for m in app.markdown)
