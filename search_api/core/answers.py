"""Whole answers kept for one generation of the store: the same request against the same records gets the same
answer (every ranking here is deterministic), so a repeated search, the next visit to a record's similar
records, or the same page asked again costs a lookup. Solr's query result cache, per index generation.

An engine that can tell when its records change (the embedded one: each commit is a new generation) keeps one
`Answers` per generation, and a commit starts an empty one, so an answer is never stale. One that cannot
(OpenSearch: another process may write) hands out a throwaway one and keeps nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")
ANSWERS_KEPT = 500  # per generation and process, the least recently used dropped first (a page of 20 hits with
# its facets is about 60 KB as Python objects: some 30 MB at most)


class Answers:
    """A bounded map from a request's key to its answer, least recently used dropped first."""

    def __init__(self, limit: int = ANSWERS_KEPT) -> None:
        self.limit = limit
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def kept(self, key: Hashable, compute: Callable[[], T], as_json: TypeAdapter[T] | None = None) -> T:
        """The answer kept for `key`, or `compute()`'s, kept (an exception is not kept). With `as_json`, it is
        kept as JSON: one object for the garbage collector instead of a tree of models (hundreds of kept pages
        made full collections take 300 ms)."""
        found = self.get(key)
        if found is not None:
            return as_json.validate_json(found) if as_json is not None else found
        answer = compute()  # two callers may compute the same answer at once: both get an equal one
        self.put(key, as_json.dump_json(answer) if as_json is not None else answer)
        return answer

    def get(self, key: Hashable) -> Any:
        """The answer kept for `key` (now the most recently used), or None."""
        with self._lock:
            if key not in self._kept:
                return None
            self._kept.move_to_end(key)
            return self._kept[key]

    def put(self, key: Hashable, answer: Any) -> None:
        """Keep `answer` for `key`, dropping the least recently used past the limit."""
        if self.limit <= 0:
            return
        with self._lock:
            self._kept[key] = answer
            self._kept.move_to_end(key)
            while len(self._kept) > self.limit:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


class NoAnswers(Answers):
    """Keeps nothing: for an engine that cannot tell when its records change."""

    def __init__(self) -> None:
        super().__init__(limit=0)
