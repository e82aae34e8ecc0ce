"""Snippets from OpenSearch's highlighter, cut the way the embedded engine cuts them.

OpenSearch is asked to mark the whole field (`number_of_fragments: 0`) with two private-use characters; the
marked words become spans on the original text, and the window, the escaping and the ellipses are the
embedded engine's (search_api/backends/embedded/analysis.py `snippet`), so both engines show the same
snippet for the same matched words. HTML escaping happens here, once, so a record containing "<mark>" or
"<script>" can never forge markup.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

MARK_PRE, MARK_POST = "\ue000", "\ue001"
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Span:
    """A marked word in the original text, in characters."""

    start: int
    end: int


def parse_marked(marked: str) -> tuple[str, list[Span]]:
    """The original text and the spans the highlighter wrapped in MARK_PRE ... MARK_POST."""
    text: list[str] = []
    spans: list[Span] = []
    length, start = 0, None
    for char in marked:
        if char == MARK_PRE:
            start = length
        elif char == MARK_POST:
            if start is not None:
                spans.append(Span(start, length))
            start = None
        else:
            text.append(char)
            length += 1
    return "".join(text), spans


def mark(text: str, spans: list[Span]) -> str:
    """HTML-escape `text` and wrap each span in <mark>."""
    out: list[str] = []
    pos = 0
    for span in spans:
        if span.start < pos:
            continue
        out.append(html.escape(text[pos:span.start]))
        out.append(f"<mark>{html.escape(text[span.start:span.end])}</mark>")
        pos = span.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def snippet(text: str, spans: list[Span], max_chars: int = SNIPPET_CHARS) -> str:
    """The window of `text` with the most distinct marked words, escaped, cut at words, with ellipses."""
    if len(text) <= max_chars:
        return mark(text, spans)
    start = 0
    if spans:
        best, best_score = 0, -1
        for i, first in enumerate(spans):
            inside = [s for s in spans[i:] if s.end <= first.start + max_chars]
            score = len({text[s.start:s.end].lower() for s in inside})
            if score > best_score:
                best, best_score = i, score
        start = max(0, spans[best].start - 40)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = [Span(s.start - start, s.end - start) for s in spans if s.start >= start and s.end <= end]
    body = mark(text[start:end], window)
    return ("… " if start else "") + body + (" …" if end < len(text) else "")


def from_highlight(original: str, marked: str | None, *, whole: bool = False) -> str:
    """Snippet (or, with `whole`, the whole marked text) of `original` from its highlighted copy."""
    text, spans = parse_marked(marked) if marked else (original, [])
    if text != original:
        # the highlighter may trim the field: put the spans back in place; any other difference: no
        # marks rather than a mark on the wrong words
        lead = len(original) - len(original.lstrip())
        trimmed = text == original.strip()
        spans = [Span(s.start + lead, s.end + lead) for s in spans] if trimmed else []
        text = original
    return mark(text, spans) if whole else snippet(text, spans)
