"""The API's one error shape, `{"error": {"code", "message", "field"}}`, built in one place.

Engine and service exceptions are translated to HTTP here, at the edge, so routes stay thin and no client ever
sees a stack trace: unexpected exceptions become a 500 with a generic message and are logged server-side.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.schemas import ErrorBody, ErrorDetail
from search_api.backends.base import BackendError

log = logging.getLogger("search_api")

API_KEY_HEADER = "X-API-Key"

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    413: "upload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "unavailable",
}


class ApiError(Exception):
    """An error the API answers on purpose; subclasses fix the status and code."""

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self, message: str, field: str | None = None, *, code: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or self.code
        self.extra = extra or {}


class Unauthorized(ApiError):
    """Missing or wrong API key, or no key configured: writes are never open by default."""

    status, code = 401, "unauthorized"


class UploadTooLarge(ApiError):
    """The upload is bigger than `max_upload_bytes`."""

    status, code = 413, "upload_too_large"


class InvalidUpload(ApiError):
    """The upload cannot be read, or not one record of it could be indexed."""

    status, code = 422, "invalid_upload"


class InvalidParameter(ApiError):
    """A parameter is well-typed but out of the limits the settings allow."""

    status, code = 422, "validation_error"


class ServiceUnavailable(ApiError):
    """The engine cannot be reached, or the service did not start."""

    status, code = 503, "unavailable"


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The one place where an error body is built."""
    body: dict[str, Any] = ErrorBody(error=ErrorDetail(code=code, message=message, field=field)).model_dump()
    for key, value in (extra or {}).items():
        body[key] = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return JSONResponse(body, status_code=status, headers=headers)


def field_of(loc: Sequence[Any]) -> str | None:
    """The parameter a validation error is about: `("query", "objective", 0)` -> `objective`."""
    names = [str(part) for part in loc[1:] if not isinstance(part, int)]
    if names:
        return ".".join(names)
    return str(loc[0]) if loc else None


def validation_response(errors: Sequence[Any]) -> JSONResponse:
    """422 naming the first offending field; the message says how many more there are."""
    if not errors:
        return error_response(422, "validation_error", "The request is not valid.")
    first = errors[0]
    field = field_of(first.get("loc", ()))
    message = f"{field}: {first.get('msg', 'invalid value')}" if field else str(first.get("msg"))
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return error_response(422, "validation_error", message, field)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    headers = {"WWW-Authenticate": f'ApiKey header="{API_KEY_HEADER}"'} if exc.status == 401 else None
    return error_response(exc.status, exc.code, exc.message, exc.field, exc.extra, headers)


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError | ValidationError)
    return validation_response(list(exc.errors()))


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "error" if exc.status_code < 500 else "internal_error")
    message = exc.detail if isinstance(exc.detail, str) else "The request failed."
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    record_id = exc.args[0] if exc.args else None
    message = f"No record with id {record_id!r}." if record_id else "No such record."
    return error_response(404, "not_found", message, "id")


async def _backend_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("engine error on %s %s: %s", request.method, request.url.path, exc)
    return error_response(503, "engine_unavailable", f"The search engine is not available: {exc}")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "Internal error; it has been logged on the server.")


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception through `error_response`."""
    from search_api.service import NotFound  # the engine's own "unknown id" exception

    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(ValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(BackendError, _backend_error)
    app.add_exception_handler(Exception, _unexpected)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries documenting the error body for these statuses (plus 500 and 503 everywhere)."""
    descriptions = {
        401: "Missing or wrong X-API-Key, or PLEDGES_API_KEY is not set on the server.",
        404: "No record with that id.",
        413: "The upload is larger than the server's max_upload_bytes.",
        422: "A parameter or the body is not valid; `field` names it.",
        400: "The request body cannot be parsed.",
        500: "Unexpected error, logged on the server; no stack trace is sent.",
        503: "The search engine is not reachable or not started.",
    }
    out: dict[int | str, dict[str, Any]] = {}
    for status in (*statuses, 422, 500, 503):
        out[status] = {"model": ErrorBody, "description": descriptions.get(status, "Error.")}
    return out
