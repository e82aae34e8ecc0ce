"""The HTTP edge: the FastAPI app, its dependencies, routes and the one JSON error shape."""
