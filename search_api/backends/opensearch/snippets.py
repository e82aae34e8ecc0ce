"""Snippets from OpenSearch's highlighter, cut the way the embedded engine cuts them.

OpenSearch is asked to mark the whole field (`number_of_fragments: 0`) with two private-use characters; the
marked words become spans on the original text, and the window, the escaping and the ellipses are the
shared ones (search_api/core/snippets.py), so both engines show the same
snippet for the same matched words. HTML escaping happens here, once, so a record containing "<mark>" or
"<script>" can never forge markup.
"""

from __future__ import annotations

from search_api.core.snippets import Span, mark, snippet

MARK_PRE, MARK_POST = "\ue000", "\ue001"


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
