"""The indexer: pledge files (JSON Lines, CSV webform exports, webform text views) -> normalised, embedded
records written through a sink (any search backend), with a report of every record's outcome.

Entry points: `indexer.pipeline.index_paths` / `index_bytes`, `indexer.normalise.normalise_record`.
It never imports search_api: the engines satisfy its `Sink` protocol structurally.
"""
