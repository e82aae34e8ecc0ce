"""The pages without a browser (Streamlit's AppTest): an API that is down, hung or refusing shows a message,
never a traceback; the pages render from the live API."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models.settings import get_settings

APP = str(Path(__file__).resolve().parents[2] / "ui" / "app.py")


def run_app(monkeypatch: pytest.MonkeyPatch, api_url: str, timeout_s: float = 10, **params: str | list[str]):
    """Run ui/app.py once against `api_url` with these URL query parameters."""
    monkeypatch.setenv("PLEDGES_API_URL", api_url)
    monkeypatch.setenv("PLEDGES_UI_TIMEOUT_S", str(timeout_s))
    get_settings.cache_clear()
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    get_settings.cache_clear()
    return app


@pytest.mark.parametrize("page", ["search", "pledge", "explore", "compare"])
def test_an_api_that_is_down_gets_a_clear_message_on_every_page(
    monkeypatch: pytest.MonkeyPatch, closed_api_url: str, page: str
) -> None:
    down = closed_api_url
    app = run_app(monkeypatch, down, id="sub-2291")
    if page != "search":
        app.switch_page(f"screens/{page}.py")
        app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        f"The search service cannot be reached ({down}). Please try again in a moment."
    ]


def test_a_hung_api_gets_the_same_message_after_the_timeout(monkeypatch: pytest.MonkeyPatch, hung_api_url: str) -> None:
    app = run_app(monkeypatch, hung_api_url, timeout_s=0.5, q="migrants")
    assert not app.exception
    assert "cannot be reached" in app.error[0].value


@pytest.mark.slow
def test_a_bookmarked_search_renders_its_results_and_filters(monkeypatch: pytest.MonkeyPatch, api_server) -> None:
    app = run_app(monkeypatch, api_server.url, q="one-stop centre for migrants", objective=["15"], lang="es")
    assert not app.exception and not app.error
    ticked = [box.label for box in app.checkbox if box.value]
    assert any(label.startswith("15 · Servicios básicos (") for label in ticked)
    assert app.text_input[0].value == "one-stop centre for migrants"
    assert any("resultados" in m.value for m in app.markdown)


@pytest.mark.slow
def test_an_unknown_pledge_id_is_a_warning_not_an_error(monkeypatch: pytest.MonkeyPatch, api_server) -> None:
    app = run_app(monkeypatch, api_server.url, id="no-such-pledge")
    app.switch_page("screens/pledge.py")
    app.run()
    assert not app.exception and not app.error
    assert app.warning[0].value == "No record has the id no-such-pledge."
