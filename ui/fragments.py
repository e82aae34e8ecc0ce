"""HTML fragments for result cards, chips and badges, built from escaped text only; and `md_text`, the one way
record text (or anything a user or the API sent) enters a place Streamlit renders as Markdown.

Records come from public webform submissions, so their text is shown as text everywhere:
- in HTML (`st.html`): `esc`, and `safe_snippet` for the engine's snippets, which keeps exactly the `<mark>`
  tags the engine added and escapes everything else, so a record whose text holds `<script>` shows it as text;
- in Markdown (`st.title`, `st.page_link` labels, checkbox labels, messages): `md_text`, which escapes every
  Markdown construct Streamlit knows (links, images, autolinks, HTML, emphasis, LaTeX, `:red[...]` colours,
  `:emoji:` and `:material/icon:` shortcodes), so a title shows its characters and loads nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_MARK = re.compile(r"(</?mark>)", re.IGNORECASE)

CSS_PATH = Path(__file__).resolve().parent / "assets" / "style.css"


def esc(text: object) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if text is None else str(text), quote=True)


# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, and an escaped one is plain text
# (no emphasis, link, image, HTML tag, entity, autolink, table, `$` math or `:directive[...]`). Escaping them
# all, rather than a list of today's specials, also covers the syntax Streamlit's renderer adds over time.
_MD_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GFM links bare URLs and e-mail addresses by searching the text *after* escapes are resolved, so escaping
# cannot stop it: an invisible WORD JOINER inside "://", after "www" and after "@" does.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(:)(?=//)|(www)(?=\.)|(@)", re.IGNORECASE)


def md_text(text: object) -> str:
    """Any value as literal text inside Streamlit Markdown: punctuation backslash-escaped, bare URLs and
    addresses kept from being linked, on one line (a line break or leading spaces could start a heading, a list
    or a code block). What the reader sees is the text itself."""
    one_line = " ".join(("" if text is None else str(text)).split())
    unlinked = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, one_line)
    return _MD_PUNCTUATION.sub(r"\\\1", unlinked)


def safe_snippet(snippet: str) -> str:
    """Keep the engine's `<mark>` tags, escape everything else, and close what was left open."""
    out: list[str] = []
    open_marks = 0
    for part in _MARK.split(snippet or ""):
        low = part.lower()
        if low == "<mark>":
            if open_marks == 0:
                out.append("<mark>")
                open_marks = 1
        elif low == "</mark>":
            if open_marks:
                out.append("</mark>")
                open_marks = 0
        else:
            # Already escaped by the engine: unescape then escape, so `&amp;` stays one ampersand and a raw
            # `<` that slipped through is escaped.
            out.append(html.escape(html.unescape(part), quote=False))
    if open_marks:
        out.append("</mark>")
    return "".join(out)


def chips(labels: list[str], css: str = "") -> str:
    """Small rounded labels (objectives, reasons)."""
    cls = f"gcm-chip {css}".strip()
    return "".join(f'<span class="{cls}">{esc(label)}</span>' for label in labels)


def reasons(heading: str, items: list[str]) -> str:
    """'Why similar:' followed by one chip per reason."""
    if not items:
        return ""
    return f'<div class="gcm-why"><span class="gcm-why-label">{esc(heading)}</span>{chips(items, "gcm-reason")}</div>'


def synthetic_badge(label: str, help_text: str) -> str:
    """The red badge that keeps invented test records from passing as real ones."""
    return f'<span class="gcm-badge-synthetic" title="{esc(help_text)}">{esc(label)}</span>'


def collection_badge(label: str) -> str:
    """Pledge / Good practice / Local action."""
    return f'<span class="gcm-badge-collection">{esc(label)}</span>'


def meta_line(parts: list[str | None]) -> str:
    """Entity · type · countries, skipping what is unknown."""
    kept = [esc(p) for p in parts if p]
    return f'<p class="gcm-meta">{" · ".join(kept)}</p>' if kept else ""


def card_body(
    meta: list[str | None],
    objective_chips: list[str],
    snippet: str,
    badges: str = "",
    footer: str = "",
    suggested_chips: list[str] | None = None,
) -> str:
    """Everything of a result card under its title, as one HTML block (`footer`: safe HTML, e.g. the source);
    suggested objectives are outlined chips, apart from the declared ones."""
    body = f'<div class="gcm-card">{badges}{meta_line(meta)}'
    if objective_chips or suggested_chips:
        body += f"<div>{chips(objective_chips)}{chips(suggested_chips or [], 'gcm-chip-suggested')}</div>"
    if snippet:
        body += f'<p class="gcm-snippet">{safe_snippet(snippet)}</p>'
    return body + footer + "</div>"


def external_link(url: str | None, text: str) -> str:
    """A link to a published page, opened in a new tab; nothing for a missing or non-web address."""
    if not url or not url.startswith(("http://", "https://")):
        return ""
    return f'<a class="gcm-source" href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def source_line(url: str | None, text: str, submitted: str | None = None) -> str:
    """The record's published source (a link) and its submission date, where known, as a card's last line."""
    parts = [p for p in (external_link(url, text), esc(submitted) if submitted else "") if p]
    return f'<p class="gcm-meta gcm-source-line">{" · ".join(parts)}</p>' if parts else ""


def facts_table(rows: list[tuple[str, str]]) -> str:
    """Two-column table of label -> value HTML (values must already be safe HTML)."""
    body = "".join(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in rows)
    return f'<table class="gcm-facts">{body}</table>'


def compare_table(headers: list[str], rows: list[tuple[str, list[str]]]) -> str:
    """Records side by side: one column per record, one row per fact (cell values already safe HTML)."""
    head = '<tr><th class="gcm-row"></th>' + "".join(f"<th>{h}</th>" for h in headers) + "</tr>"
    body = "".join(
        f'<tr><th class="gcm-row">{esc(label)}</th>' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
        for label, cells in rows
    )
    return f'<table class="gcm-compare gcm-compare-table"><thead>{head}</thead><tbody>{body}</tbody></table>'


def compare_stack(headers: list[str], rows: list[tuple[str, list[str]]]) -> str:
    """The same records one below the other, each with its facts (for phones; CSS shows one of the two)."""
    blocks = []
    for column, header in enumerate(headers):
        facts = [(label, cells[column]) for label, cells in rows]
        blocks.append(f'<div class="gcm-stack-record"><h4>{header}</h4>{facts_table(facts)}</div>')
    return f'<div class="gcm-compare-stack">{"".join(blocks)}</div>'


def paragraphs(text: str) -> str:
    """A long plain text, escaped, keeping its line breaks."""
    return f'<div class="gcm-text">{esc(text)}</div>'


def mark(label: str, css: str) -> str:
    """A small labelled mark beside a neighbour (same initiative, same entity)."""
    return f'<span class="{esc(css)}">{esc(label)}</span>'
