"""The Streamlit UI: a thin HTTP client of the search API (it never imports search_api, indexer or torch)."""
