"""What every page shares: the API client, the interface language, taxonomy labels, the page registry, and
one place that turns API failures into a message instead of a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st

from models.schemas import TaxonomyResponse
from models.settings import get_settings
from ui import fragments
from ui.api_client import ApiClient, ApiError, ApiUnavailable
from ui.i18n import t
from ui.state import read_lang


@st.cache_resource(show_spinner=False)
def _client(base_url: str, timeout: float) -> ApiClient:
    return ApiClient(base_url, timeout=timeout)


def client() -> ApiClient:
    """The process's API client, built from PLEDGES_API_URL and PLEDGES_UI_TIMEOUT_S."""
    settings = get_settings()
    return _client(settings.api_url, settings.ui_timeout_s)


def params() -> dict[str, list[str]]:
    """The current URL's query parameters, each name with all its values."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def lang() -> str:
    """The interface language: `?lang=` first, then what this session chose, then English."""
    chosen = read_lang(params(), st.session_state.get("lang", "en"))
    st.session_state["lang"] = chosen
    return chosen


@st.cache_data(ttl=600, show_spinner=False)
def _taxonomy(base_url: str, language: str) -> TaxonomyResponse:
    return client().taxonomy(language)


@dataclass(frozen=True)
class Labels:
    """Taxonomy labels in one language, as the API gives them."""

    objectives: dict[str, str]
    objectives_short: dict[str, str]
    principles: dict[str, str]
    entity_types: dict[str, str]
    natures: dict[str, str]
    regions: dict[str, str]
    collections: dict[str, str]
    countries: dict[str, str] = field(default_factory=dict)

    def objective_chip(self, number: int | str) -> str:
        """`15 · Basic services`: the short name, numbered, for chips and chart axes."""
        key = str(number)
        return f"{key} · {self.objectives_short.get(key) or self.objectives.get(key) or key}"


def labels(language: str) -> Labels:
    """Taxonomy labels from GET /taxonomy?lang= (cached ten minutes)."""
    tax = _taxonomy(get_settings().api_url, language)
    return Labels(
        objectives={x.code: x.label for x in tax.objectives},
        objectives_short={x.code: x.short or x.label for x in tax.objectives},
        principles={x.code: x.label for x in tax.principles},
        entity_types={x.code: x.label for x in tax.entity_types},
        natures={x.code: x.label for x in tax.natures},
        regions={x.code: x.label for x in tax.regions + tax.subregions},
        collections={x.code: x.label for x in tax.collections},
        countries={x.code: x.label for x in tax.countries},
    )


@contextmanager
def api_guard(language: str) -> Iterator[None]:
    """Show an unreachable or refusing API as a clear message and stop the page; never a traceback."""
    try:
        yield
    except ApiUnavailable as exc:
        st.error(t("api_down", language, url=fragments.md_text(exc.url)), icon=":material/cloud_off:")
        st.button(t("retry", language), key="retry_api")
        st.stop()
    except ApiError as exc:
        st.error(t("api_error", language, message=fragments.md_text(exc.message or exc.code)), icon=":material/error:")
        st.stop()


def inject_css() -> None:
    """The small stylesheet for cards, chips and badges."""
    st.html(fragments.CSS_PATH)


# Pages are built once per run in app.py (their titles follow the language) and registered here, so one page
# can link to another without importing app.py.
PAGES: dict[str, st.Page] = {}


def page(name: str) -> st.Page:
    """A page registered by app.py: 'search', 'pledge', 'explore' or 'compare'."""
    return PAGES[name]


def lang_params(language: str) -> dict[str, str]:
    """The `lang` parameter to carry on links, empty for English."""
    return {"lang": language} if language != "en" else {}


def sync_url() -> None:
    """Write the run's query parameters back to the browser. A link to the page already shown (a similar record
    on a record page) runs with its new parameters, but Streamlit leaves the old URL in the address bar; this
    puts the new one there (nothing happens when the URL is right already)."""
    st.query_params.from_dict(params())


def remember_search(search_params: dict[str, str | list[str]]) -> None:
    """The search last shown in this session, so that the menu's "Search" brings it back."""
    st.session_state["last_search"] = search_params


def last_search() -> dict[str, str | list[str]]:
    """The search last shown in this session (empty before the first)."""
    return dict(st.session_state.get("last_search") or {})


def came_from_another_page() -> bool:
    """True when the previous run of this session showed another page (see app.py, which records it)."""
    return st.session_state.get("shown_page") not in (None, "search")
