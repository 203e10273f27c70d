"""POST /admin/reload: re-read the seeds, only with the API key (off when ALLIANCE_API_KEY is unset)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from app import schemas
from app.api.deps import StoreDep
from app.api.render import ERRORS
from app.config import get_settings
from app.defaults import configured_dataset
from app.problems import SeedError
from app.security import api_key_matches

router = APIRouter(tags=["admin"])


def reload_refusal(backend: str, workers: int) -> str | None:
    """Why a reload cannot be done here, or None: each worker process holds its own embedded store,
    and a reload reaches only the one that received it, so the workers would answer differently.

    >>> reload_refusal("embedded", 1) is None, reload_refusal("neo4j", 4) is None
    (True, True)
    >>> reload_refusal("embedded", 2).split(";")[0]
    'this server runs 2 worker processes on the embedded store, and a reload would reach only one of them'
    """
    if backend != "embedded" or workers <= 1:
        return None
    return (
        f"this server runs {workers} worker processes on the embedded store, and a reload would reach only one"
        " of them; nothing was reloaded. Restart the server to serve new seeds, or serve from Neo4j"
        " (NEO4J_URI) and load them with 'alliances load', which every worker follows within a second"
    )


@router.post(
    "/admin/reload",
    summary="Re-read and validate the seeds; swap them in only if all are valid",
    response_model=schemas.Reloaded,
    responses={
        401: ERRORS[404] | {"description": "Missing or wrong X-API-Key"},
        404: ERRORS[404],
        409: ERRORS[404] | {"description": "Refused: several worker processes on the embedded store"},
        422: ERRORS[422],
    },
)
def reload_seeds(store: StoreDep, x_api_key: Annotated[str | None, Header(max_length=200)] = None) -> Any:
    settings = get_settings()
    if not settings.alliance_api_key:
        # The route does not exist unless a key is configured.
        return JSONResponse({"error": "not found"}, status_code=404)
    if not api_key_matches(settings.alliance_api_key, x_api_key):
        return JSONResponse({"error": "a valid X-API-Key header is required"}, status_code=401)
    refusal = reload_refusal(store.backend, settings.alliance_workers)
    if refusal:
        return JSONResponse({"error": refusal, "workers": settings.alliance_workers}, status_code=409)
    try:
        dataset = configured_dataset()  # the seeds and ALLIANCE_SOURCES_DIR's source folders, all or nothing
    except SeedError as err:
        # Nothing is swapped: the store keeps serving the data it had.
        return JSONResponse(
            {"error": f"{err.counted()}; nothing was reloaded", "problems": [str(p) for p in err.problems]},
            status_code=422,
        )
    counts = store.replace(dataset)
    return JSONResponse({"reloaded": True, "backend": store.backend, **counts})
