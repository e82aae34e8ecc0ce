"""The search semantics, written once for every engine: hybrid orchestration (legs, fusion, match set, totals,
pagination), disjunctive facets, cross-language legs, ranking knobs, snippets and similar-record reasons.

Imports nothing of the engines: an engine hands the core a `SearchReader` (reader.py) and the core asks it
for small primitives (keyword candidates, vector candidates, filtered ids, facet counts, hits by id)."""
