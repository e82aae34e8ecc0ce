"""The FastAPI app: `create_app()` wires settings, the one SearchService, CORS, routes and error handling."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response

from models.settings import Settings, get_settings
from search_api.backends.base import BackendError
from search_api.http.errors import API_KEY_HEADER, error_response, install_error_handlers
from search_api.http.limits import BodyTimeoutMiddleware, ReadSlotsMiddleware
from search_api.http.routes import router
from search_api.http.workers import follow_supervisor

if TYPE_CHECKING:
    from search_api.service import SearchService

log = logging.getLogger("search_api")

DESCRIPTION = """Search GCM pledges, good practices and local actions: keyword, semantic and hybrid search,
disjunctive facets, similar records, CSV export. Every error is `{"error": {"code", "message", "field"}}`.
Write endpoints need the `X-API-Key` header (the server's `PLEDGES_API_KEY`)."""


def create_app(settings: Settings | None = None, service: SearchService | None = None) -> FastAPI:
    """The app; without `service`, its lifespan builds one SearchService from the settings (and closes it)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = app.state.service is None
        follow_supervisor()
        if owned:
            app.state.service = await run_in_threadpool(_start_service, app, settings)
        try:
            yield
        finally:
            if owned and app.state.service is not None:
                app.state.service.close()
                app.state.service = None

    app = FastAPI(title="GCM pledge search API", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.service = service
    app.state.startup_error = None
    app.add_middleware(
        JsonCORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["*"],
        allow_headers=["Content-Type", API_KEY_HEADER],
        expose_headers=["Content-Disposition"],
    )
    app.add_middleware(
        BodyTimeoutMiddleware, idle_s=settings.request_body_idle_s, total_s=settings.request_body_total_s
    )
    app.add_middleware(ReadSlotsMiddleware, slots=settings.api_read_slots)
    install_error_handlers(app)
    app.include_router(router)
    return app


class JsonCORSMiddleware(CORSMiddleware):
    """CORS whose refused preflights answer the one error shape too, not starlette's plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """The usual preflight answer, or our JSON error when the origin, method or a header is refused."""
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        return error_response(response.status_code, "cors_rejected", bytes(response.body).decode(), "Origin")


def _start_service(app: FastAPI, settings: Settings) -> SearchService | None:
    """Build the service and warm it up before /ready says yes (model, engine readers, query lengths).
    An engine that cannot start leaves the app up, answering 503 with the reason."""
    from search_api.service import SearchService

    try:
        service = SearchService(settings)
    except BackendError as exc:
        log.error("search engine not available: %s", exc)
        app.state.startup_error = str(exc)
        return None
    try:
        service.warm_up()
    except BackendError as exc:
        log.error("search engine not available: %s", exc)
        app.state.startup_error = str(exc)
    # What startup built (the model, the thesaurus, the labels) lives as long as the process: the garbage
    # collector need not walk it again on every full collection (those took up to 150 ms under load).
    gc.collect()
    gc.freeze()
    return service
