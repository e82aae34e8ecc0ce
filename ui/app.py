"""Streamlit entry point, run by `pledges ui`: builds the pages and the language switch, then navigates."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run ui/app.py` puts ui/ on sys.path, not the repository root; our packages live there.
_ROOT = str(Path(__file__).resolve().parents[1])
_FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
_SCREENS = Path(__file__).resolve().parent / "screens"
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from ui import browser, context  # noqa: E402
from ui.i18n import LANGUAGES, t  # noqa: E402


def _set_lang() -> None:
    chosen = st.session_state["lang_select"]
    st.session_state["lang"] = chosen
    if chosen == "en":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = chosen


def main() -> None:
    """One run of the app: page config, language, navigation, then the chosen page."""
    lang = context.lang()
    st.set_page_config(page_title=t("app_title", lang), page_icon=str(_FAVICON), layout="wide")
    context.inject_css()
    context.PAGES.update(
        search=st.Page(
            _SCREENS / "search.py",
            title=t("page_search", lang),
            icon=":material/search:",
            url_path="search",
            default=True,
        ),
        pledge=st.Page(
            _SCREENS / "pledge.py",
            title=t("page_pledge", lang),
            icon=":material/description:",
            url_path="pledge",
            visibility="hidden",  # opened from a result, never empty from the menu
        ),
        explore=st.Page(
            _SCREENS / "explore.py",
            title=t("page_explore", lang),
            icon=":material/bar_chart:",
            url_path="explore",
        ),
        compare=st.Page(
            _SCREENS / "compare.py",
            title=t("page_compare", lang),
            icon=":material/compare:",
            url_path="compare",
        ),
    )
    current = st.navigation(list(context.PAGES.values()), position="top")
    with st.sidebar:
        options = list(LANGUAGES)
        st.selectbox(
            t("language", lang),
            options,
            index=options.index(lang),
            format_func=LANGUAGES.__getitem__,
            key="lang_select",
            on_change=_set_lang,
        )
    if lang != "en" and st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang  # keep the language in the URL after a page switch
    context.sync_url()
    browser.scripts(lang, screen(current.url_path))
    try:
        current.run()
    finally:
        st.session_state["shown_page"] = current.url_path or "search"


def screen(url_path: str) -> str:
    """What makes a new screen, which starts at the top: the page, the record(s) it shows, and on the Search
    page the search itself (another query, filter or page of results: on a phone the results are then in view,
    not the place in a long list where a filter was ticked). A record page's own toggles keep their place."""
    page = url_path or "search"
    if page == "search":
        shown = sorted((k, tuple(st.query_params.get_all(k))) for k in st.query_params if k != "lang")
        return f"search|{shown}"
    return "|".join([page, *st.query_params.get_all("id")])


if __name__ == "__main__":  # Streamlit runs this file as __main__; importing it (tests) runs nothing
    main()
