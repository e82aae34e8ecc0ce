"""Reading back what the UI wrote as Markdown: `ui.fragments.md_text` backslash-escapes every ASCII punctuation
character of record text, and Streamlit shows the text without the escapes. AppTest hands tests the Markdown
source, so tests compare `plain(source)` with the API's text.

Imported as `md_escapes` (pytest puts tests/ui on sys.path, as it does tests/ for `servers`).
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
WORD_JOINER = "\u2060"  # invisible; md_text puts one in "://", "www." and "@" so that nothing is linked


def plain(markdown: str) -> str:
    """The text Streamlit shows for Markdown whose only syntax is backslash escapes (and `**` around it)."""
    return _ESCAPE.sub(r"\1", markdown).replace(WORD_JOINER, "")


def shown(text: str) -> re.Pattern[str]:
    """A pattern for `text` as a page shows it after md_text: word joiners may sit in URLs and addresses."""
    pattern = re.sub(r"(?i)(:|www|@)", lambda m: m.group(0) + "\u2060?", re.escape(text))
    return re.compile(pattern)
