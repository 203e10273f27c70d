"""GET / and /web/{file}: the explorer page — hand-written HTML, CSS and JS, served as they are."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from app.api.params import PathId
from app.errors import UnknownId

router = APIRouter(tags=["pages"])

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
# The only files served: nothing else under app/ can be reached through this route.
ASSETS = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


@router.get("/", include_in_schema=False)
def explorer_page() -> FileResponse:
    """The explorer: choose an alliance, a year and a condition; the chart and the answers redraw."""
    return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")


@router.get("/web/{name}", include_in_schema=False)
def explorer_asset(name: PathId) -> FileResponse:
    if name not in ASSETS:
        raise UnknownId("web file", name, ASSETS)
    return FileResponse(WEB_DIR / name, media_type=ASSETS[name])
