"""Snippets both engines share: escape the original text, mark matched words, cut the best window at words.

The engines differ only in how they find the matched words (tantivy's analysers here, OpenSearch's highlighter
there); the window rule lives once, so a hit's snippet reads the same whichever engine answered."""

from __future__ import annotations

import html
from dataclasses import dataclass

SNIPPET_CHARS = 240
LEAD_CHARS = 40  # context kept before the first matched word of the window


@dataclass(frozen=True)
class Span:
    """A matched word in the original text, in characters."""

    start: int
    end: int


def mark(text: str, spans: list[Span]) -> str:
    """HTML-escape `text` and wrap each span in <mark>."""
    out: list[str] = []
    pos = 0
    for span in spans:
        if span.start < pos:
            continue
        out.append(html.escape(text[pos : span.start]))
        out.append(f"<mark>{html.escape(text[span.start : span.end])}</mark>")
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
            score = len({text[s.start : s.end].lower() for s in inside})
            if score > best_score:
                best, best_score = i, score
        start = max(0, spans[best].start - LEAD_CHARS)
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
