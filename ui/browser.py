"""What only the browser can do for the UI, from one hidden block at the top of every page:

- say the words Streamlit's own widgets print in English (hints, placeholders, screen-reader labels) in the
  interface language (ui/assets/browser.js, fed with ui.i18n.widget_texts);
- start a new screen (another page, another record, another page of results) at the top, since Streamlit keeps
  the scroll position of its main block across runs.

The scripts are ours and hold no user text (st.html runs them: unsafe_allow_javascript).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import streamlit as st

from ui.i18n import widget_texts

SCRIPT = Path(__file__).resolve().parent / "assets" / "browser.js"
BLOCK_KEY = "gcm_browser"  # ui/assets/style.css hides the block: it shows nothing
_TO_TOP = (
    "<script>/* screen: {screen} */"
    "document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')"
    ".forEach((e) => e.scrollTo({{top: 0, left: 0}}));window.scrollTo(0, 0);</script>"
)


@cache
def _widget_script(lang: str) -> str:
    config = json.dumps(widget_texts(lang), ensure_ascii=False).replace("</", "<\\/")
    return "<script>" + SCRIPT.read_text(encoding="utf-8").replace("__CONFIG__", config) + "</script>"


def scripts(lang: str, screen: str) -> None:
    """The widget words in `lang`, and a jump to the top whenever `screen` (a page and what it shows) changes:
    st.html runs a script again only when its text changes, and `screen` is part of that text."""
    with st.container(key=BLOCK_KEY):
        st.html(_widget_script(lang), unsafe_allow_javascript=True)
        digest = hashlib.sha1(screen.encode()).hexdigest()[:12]  # the screen's fingerprint, never its text
        st.html(_TO_TOP.format(screen=digest), unsafe_allow_javascript=True)
