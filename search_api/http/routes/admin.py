"""Operations: liveness, readiness, and indexing an uploaded file (behind the API key)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from models import limits
from models.schemas import HealthResponse, IndexReport, ReadyResponse, UploadErrorBody
from search_api.http.deps import ApiKeyDep, ServiceDep, SettingsDep
from search_api.http.errors import InvalidUpload, ServiceUnavailable, UploadTooLarge, error_responses

router = APIRouter(tags=["operations"])

UPLOAD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt")
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file itself


@router.get("/health", response_model=HealthResponse, summary="Liveness")
def health() -> HealthResponse:
    """200 while the process serves HTTP."""
    return HealthResponse()


@router.get("/ready", response_model=ReadyResponse, responses=error_responses(), summary="Readiness")
def ready(service: ServiceDep) -> ReadyResponse:
    """200 when the engine is reachable and serves every record, with its health (yellow: degraded, still
    serving) and the corpus count; 503 when it is unreachable or part of the index is unavailable (red)."""
    info: dict[str, Any] = service.ready()
    health = info.get("health", "green")
    if health not in ("green", "yellow"):
        raise ServiceUnavailable(f"The search engine's health is {health}: part of the index is unavailable.")
    return ReadyResponse(
        backend=str(info.get("backend", "")), health=health, count=int(info.get("count", 0)), model=info.get("model")
    )


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "JSON Lines (.jsonl), webform CSV export (.csv) or webform "
                        "text view (.txt), at most the server's max_upload_bytes "
                        "(50,000,000 by default). " + limits.summary(),
                    }
                },
            }
        }
    },
}


@router.post(
    "/index",
    response_model=IndexReport,
    summary="Index an uploaded file (API key)",
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses={
        **error_responses(400, 401, 413),
        422: {
            "model": UploadErrorBody,
            "description": "The file cannot be read, or not one "
            "of its records could be indexed; `report` says why, record by record.",
        },
    },
)
async def index_upload(request: Request, service: ServiceDep, settings: SettingsDep, _: ApiKeyDep) -> IndexReport:
    """Index a JSONL or CSV upload; the report of `pledges index`: indexed, unchanged, rejected with reasons.

    The key is checked before the body is read, and the indexing runs in a worker thread so that searches keep
    being answered meanwhile. The file may be at most the server's max_upload_bytes; records over the limits
    (title 500 characters, description 20,000, lists 300 items, ...: see the request body) are rejected one
    by one, the others indexed."""
    data, filename = await read_upload(request, settings.max_upload_bytes)
    report: IndexReport = await run_in_threadpool(service.index_upload, data, filename)
    if report.indexed + report.unchanged == 0:
        what = f"none of its {report.read} records could be indexed" if report.read else "it holds no records"
        raise InvalidUpload(
            f"{filename} was not indexed: {what}.", "file", code="upload_rejected", extra={"report": report}
        )
    return report


async def read_upload(request: Request, limit: int) -> tuple[bytes, str]:
    """The uploaded file's bytes and name; 413 as soon as the body outgrows the limit, 422 if no file."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidUpload("Send the file as multipart/form-data in a field named 'file'.", "file")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + MULTIPART_OVERHEAD:
        raise UploadTooLarge(f"The upload is {int(length)} bytes; the limit is {limit}.", "file")
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit + MULTIPART_OVERHEAD:
            raise UploadTooLarge(f"The upload is larger than the limit of {limit} bytes.", "file")
        return message

    form = await Request(request.scope, receive).form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidUpload("No file in the field 'file'.", "file")
        data = await upload.read(limit + 1)
        filename = PurePath(upload.filename or "upload").name
    finally:
        await form.close()
    if len(data) > limit:
        raise UploadTooLarge(f"The file is larger than the limit of {limit} bytes.", "file")
    if not filename.lower().endswith(UPLOAD_SUFFIXES):
        raise InvalidUpload(f"{filename}: expected a file ending in {', '.join(UPLOAD_SUFFIXES)}.", "file")
    if not data.strip():
        raise InvalidUpload(f"{filename} is empty.", "file")
    return data, filename
