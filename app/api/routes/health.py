"""GET /health: the backend in use, its state, and organ and edge counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api import schemas
from app.api.deps import StoreDep
from app.errors import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="Backend in use, its state, organ and edge counts",
    response_model=schemas.Health,
    responses={503: {"model": schemas.HealthDown, "description": "The store cannot be reached"}},
)
def health(store: StoreDep) -> Any:
    try:
        return JSONResponse(store.health())
    except StoreUnavailable as err:
        return JSONResponse({"backend": store.backend, "state": "unavailable", "error": err.message}, status_code=503)
