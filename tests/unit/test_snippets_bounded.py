"""Snippet work per record is bounded (issue 13, item 1): linear in the matches, and at most
MAX_SNIPPET_MATCHES of them considered. The old window search compared every match with every later one: a
description repeating the query word 200,000 times would have taken hours; `bench/attacks.py` times it."""

from __future__ import annotations

import random

from models.limits import MAX_SNIPPET_MATCHES
from models.schemas import Pledge, Scores
from search_api.backends.embedded.analysis import query_terms
from search_api.backends.embedded.hits import to_hit
from search_api.core.snippets import Span, best_window, snippet


def _quadratic_best(text: str, spans: list[Span], max_chars: int) -> int:
    """The rule as it was written before: the first span starting the window with the most distinct words."""
    best, best_score = 0, -1
    for i, first in enumerate(spans):
        inside = [s for s in spans[i:] if s.end <= first.start + max_chars]
        score = len({text[s.start : s.end].lower() for s in inside})
        if score > best_score:
            best, best_score = i, score
    return best


def test_the_linear_window_search_picks_the_same_window_as_the_old_rule() -> None:
    rng = random.Random(13)
    for _ in range(500):
        words = [rng.choice(["aid", "desk", "Desk", "care", "kinship", "zz", "zzzzzz"]) for _ in range(60)]
        text = " ".join(words)
        spans, pos = [], 0
        for word in words:
            if not word.startswith("zz"):
                spans.append(Span(pos, pos + len(word)))
            pos += len(word) + 1
        width = rng.randint(5, 120)
        if spans:
            assert best_window(text, spans, width) == _quadratic_best(text, spans, width)


def test_a_description_repeating_the_query_word_200000_times_gets_its_snippet() -> None:
    pledge = Pledge(id="syn-repeat", title="zzrepeat", description="zzrepeat " * 200_000)
    hit = to_hit(pledge, query_terms("zzrepeat", "en", 16), Scores())
    assert hit.snippet.startswith("<mark>zzrepeat</mark>") and hit.snippet.endswith(" …")
    assert 20 <= hit.snippet.count("<mark>") <= 30  # one window of 240 characters


def test_only_the_first_matches_are_considered() -> None:
    """Past MAX_SNIPPET_MATCHES matches, a better window later in the text is not looked for."""
    early = "aid " * MAX_SNIPPET_MATCHES
    late = "aid desk care kinship " * 3
    text = early + "x" * 300 + " " + late
    spans, pos = [], 0
    for word in text.split(" "):
        if word in ("aid", "desk", "care", "kinship"):
            spans.append(Span(pos, pos + len(word)))
        pos += len(word) + 1
    cut = snippet(text, spans)
    assert cut.startswith("<mark>aid</mark>") and "desk" not in cut
