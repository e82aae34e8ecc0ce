"""A record's declared objectives as one number (bit n-1 for objective n), kept per vector row: the objective
leg of hybrid search reads every record's declared objectives, and rows keep them across index generations,
where reading them from the index took 1.1 s per generation at 100,000 records."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np
import tantivy

from models.taxonomy import OBJECTIVES
from search_api.backends.embedded.fields import hit_count
from search_api.backends.embedded.schema import facet_field


def bits_of(numbers: Iterable[object]) -> int:
    """The bits of these objective numbers (anything not an objective of the taxonomy is left out)."""
    return sum(1 << (n - 1) for n in {n for n in numbers if isinstance(n, int) and n in OBJECTIVES})


def bits_of_record(record: bytes) -> int:
    """The bits of a stored record's declared objectives (its JSON, as the store keeps it)."""
    numbers = json.loads(record).get("objectives")
    return bits_of(numbers) if isinstance(numbers, list) else 0


@lru_cache(maxsize=8192)
def numbers_of(bits: int) -> tuple[int, ...]:
    """The objective numbers these bits hold, in ascending order."""
    return tuple(n for n in sorted(OBJECTIVES) if bits >> (n - 1) & 1)


def bits_from_index(
    searcher: tantivy.Searcher, schema: tantivy.Schema, rows_of_keys: Callable[[np.ndarray], np.ndarray], count: int
) -> np.ndarray:
    """Every row's bits read from the index, one objective at a time (rows the index lacks get none): for a
    saved vector state written before the rows kept their bits."""
    bits = np.zeros(count, dtype=np.uint32)
    field = facet_field("objective")
    for number in sorted(OBJECTIVES):
        query = tantivy.Query.term_query(schema, field, str(number))
        held = hit_count(searcher.search(query, limit=1, count=True))
        if not held:
            continue
        hits = searcher.search(query, limit=held, count=False).hits
        keys = np.asarray(searcher.fast_field_values("key", [address for _, address in hits]), dtype=np.uint64)
        rows = rows_of_keys(keys)
        rows = rows[(rows >= 0) & (rows < count)]
        bits[rows] |= np.uint32(1 << (number - 1))
    return bits
