"""GET / and /web/{file}: the explorer page — hand-written HTML, CSS and JS, served as they are."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.api.params import PathId
from app.errors import UnknownId
from app.schemas import ErrorBody

router = APIRouter(tags=["pages"])

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
# The only files served: nothing else under app/ can be reached through this route.
ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "compare.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


@router.get(
    "/",
    response_class=FileResponse,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "The explorer page"}},
)
def explorer_page() -> FileResponse:
    """The explorer: choose an alliance, a year and a condition; the chart and the answers redraw."""
    return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get(
    "/web/{name}",
    response_class=FileResponse,
    responses={
        200: {
            "content": {media.split(";")[0]: {"schema": {"type": "string"}} for media in ASSETS.values()},
            "description": "The page's script or style sheet",
        },
        404: {"model": ErrorBody, "description": "Unknown file (named, with close matches)"},
        422: {"model": ErrorBody, "description": "Bad parameter (named)"},
    },
)
def explorer_asset(name: PathId) -> FileResponse:
    if name not in ASSETS:
        raise UnknownId("web file", name, ASSETS)
    return FileResponse(WEB_DIR / name, media_type=ASSETS[name])
