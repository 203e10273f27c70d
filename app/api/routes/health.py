"""GET /health: the backend in use, its state, and organ and edge counts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import StoreDep
from app.api.render import ERRORS
from app.errors import StoreUnavailable

router = APIRouter(tags=["health"])


@router.get("/health", summary="Backend in use, its state, organ and edge counts", responses={503: ERRORS[503]})
def health(store: StoreDep) -> Any:
    try:
        return store.health()
    except StoreUnavailable as err:
        return JSONResponse({"backend": store.backend, "state": "unavailable", "error": err.message}, status_code=503)
