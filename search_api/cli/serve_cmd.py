"""`pledges serve`: the search API under uvicorn, on the settings' store."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from models.settings import get_settings

# h11 refuses request heads over 16 KiB with a bare 400; a long `q` must reach the app and get its JSON 422.
MAX_REQUEST_HEAD_BYTES = 1024 * 1024


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command()(serve)


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default: PLEDGES_API_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PLEDGES_API_PORT, 8000).")] = None,
    reload: Annotated[bool, typer.Option(help="Restart when the code changes (development).")] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Processes to run (default: PLEDGES_API_WORKERS, 2; at most one per core)."),
    ] = None,
) -> None:
    """Serve the search API (OpenAPI docs at /docs); PLEDGES_* settings choose the engine and the store."""
    import uvicorn

    from search_api.http.limits import JsonErrorH11Protocol
    from search_api.http.workers import encoder_threads, run_workers, worker_count

    settings = get_settings()
    host = host or settings.api_host
    port = port or settings.api_port
    where = settings.data_dir if settings.backend == "embedded" else settings.opensearch_url
    processes = worker_count(workers or settings.api_workers, reload, port)
    typer.echo(
        f"API on http://{host}:{port} (docs at /docs); engine {settings.backend} at {where}; "
        f"{processes} worker{'s' if processes > 1 else ''}",
        err=True,
    )
    config: dict[str, Any] = {
        "app": "search_api.http.app:create_app",
        "factory": True,
        "log_level": log_level,
        "proxy_headers": False,
        "http": JsonErrorH11Protocol,
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD_BYTES,
    }
    if processes == 1:
        uvicorn.run(host=host, port=port, reload=reload, **config)
        return
    if settings.embedding_threads is None:
        os.environ["PLEDGES_EMBEDDING_THREADS"] = str(encoder_threads(processes))
    try:
        status = run_workers(config, host, port, processes)
    except OSError as exc:
        raise typer.BadParameter(f"cannot listen on {host}:{port}: {exc.strerror or exc}", param_hint="--port") from exc
    raise typer.Exit(status)
