"""HTTP routes, thin over SearchService: parse, call the service, return the shared schemas."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from search_api.http.deps import reject_unknown_parameters
from search_api.http.routes import admin, pledges, search, taxonomy

router = APIRouter()
for module in (search, pledges, taxonomy, admin):
    router.include_router(module.router, dependencies=[Depends(reject_unknown_parameters)])
