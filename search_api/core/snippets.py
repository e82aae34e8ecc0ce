"""Snippets both engines share: escape the original text, mark matched words, cut the best window at words.

The engines differ only in how they find the matched words (tantivy's analysers here, OpenSearch's highlighter
there); the window rule lives once, so a hit's snippet reads the same whichever engine answered."""

from __future__ import annotations

import html
from dataclasses import dataclass

from models.limits import MAX_SNIPPET_MATCHES

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


def best_window(text: str, spans: list[Span], max_chars: int) -> int:
    """Index of the span that starts the window of `max_chars` holding the most distinct marked words (the
    first such). One pass with two pointers: linear in the number of spans, however many repeat one word."""
    words = [text[s.start : s.end].lower() for s in spans]
    counts: dict[str, int] = {}
    best, best_score, end = 0, -1, 0
    for i, first in enumerate(spans):
        while end < len(spans) and spans[end].end <= first.start + max_chars:
            counts[words[end]] = counts.get(words[end], 0) + 1
            end += 1
        if len(counts) > best_score:
            best, best_score = i, len(counts)
        if end > i:  # span i leaves the window before the next one starts it
            counts[words[i]] -= 1
            if not counts[words[i]]:
                del counts[words[i]]
        else:
            end = i + 1
    return best


def snippet(text: str, spans: list[Span], max_chars: int = SNIPPET_CHARS) -> str:
    """The window of `text` with the most distinct marked words, escaped, cut at words, with ellipses.

    Only the first MAX_SNIPPET_MATCHES spans are considered: a description repeating the query word 20,000
    times costs what one with 200 does."""
    spans = spans[:MAX_SNIPPET_MATCHES]
    if len(text) <= max_chars:
        return mark(text, spans)
    start = 0
    if spans:
        best = best_window(text, spans, max_chars)
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
