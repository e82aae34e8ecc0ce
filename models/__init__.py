"""Shared models: schemas, the GCM taxonomy, settings and the embedder. Imports nothing of the project."""
