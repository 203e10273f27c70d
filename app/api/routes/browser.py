"""GET /neo4j/style.grass and /neo4j/guide.html: the Neo4j Browser style and guide, fetchable cross-origin.

Neo4j Browser runs ``:style URL`` and ``:play URL`` with ``fetch()`` from its own origin
(``http://127.0.0.1:7474``), so these two routes, and only these, answer with
``Access-Control-Allow-Origin: *``. The guide fetch sends ``Cache-Control`` and ``Pragma`` headers,
and the Browser's error reporting at times adds ``sentry-trace`` and ``baggage`` to any fetch, so
the browser asks first with an ``OPTIONS`` preflight; that is answered here too, allowing the
headers asked for (both files are public, and no credentials are involved). The Browser also
refuses hosts missing from the server setting ``browser.remote_content_hostname_whitelist``.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.config import DOCS_ENV, data_dir
from app.schemas import ErrorBody
from graph_schema.generate import GENERATED

router = APIRouter(prefix="/neo4j", tags=["neo4j browser"])

STYLE_FILE = GENERATED / "browser.grass"
GUIDE_NAME = "alliances-guide.html"
# The guide is written for `make serve`; served from elsewhere, its links follow the request.
GUIDE_BASE_URL = "http://127.0.0.1:8000/"

CROSS_ORIGIN = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {**CROSS_ORIGIN, "Access-Control-Allow-Methods": "GET, OPTIONS", "Access-Control-Max-Age": "600"}
DEFAULT_ALLOWED_HEADERS = "Cache-Control, Pragma, sentry-trace, baggage"
# A comma list of header names, as a preflight asks for them; anything else gets the default list.
_HEADER_LIST = re.compile(r"^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$")


def guide_path() -> Path:
    """``$ALLIANCE_DOCS_DIR/neo4j/alliances-guide.html``, else the one in the repository's ``docs/``."""
    return data_dir(DOCS_ENV) / "neo4j" / GUIDE_NAME


def _missing(what: str, path: Path) -> JSONResponse:
    return JSONResponse(
        {"error": f"the Browser {what} is not installed at {path}; set {DOCS_ENV} to the docs folder"},
        status_code=404,
        headers=CROSS_ORIGIN,
    )


@router.get(
    "/style.grass",
    summary="Neo4j Browser style (GraSS): colour by nature, size by level, edges by kind",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "The style, as GraSS text"},
        404: {"model": ErrorBody, "description": "The style file is not installed"},
    },
)
def style_grass() -> Response:
    if not STYLE_FILE.is_file():
        return _missing("style", STYLE_FILE)
    return Response(STYLE_FILE.read_text(encoding="utf-8"), media_type="text/plain", headers=CROSS_ORIGIN)


@router.get(
    "/guide.html",
    summary="Neo4j Browser guide (:play) asking the paper's questions in Cypher",
    response_class=Response,
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "The guide, as HTML"},
        404: {"model": ErrorBody, "description": "The guide is not installed"},
    },
)
def guide_html(request: Request) -> Response:
    path = guide_path()
    if not path.is_file():
        return _missing("guide", path)
    html = path.read_text(encoding="utf-8").replace(GUIDE_BASE_URL, str(request.base_url))
    return Response(html, media_type="text/html", headers=CROSS_ORIGIN)


@router.options("/style.grass", include_in_schema=False)
@router.options("/guide.html", include_in_schema=False)
def preflight(request: Request) -> Response:
    asked = request.headers.get("access-control-request-headers", "")
    allowed = asked if len(asked) <= 500 and _HEADER_LIST.match(asked) else DEFAULT_ALLOWED_HEADERS
    return Response(
        status_code=204,
        headers={**PREFLIGHT, "Access-Control-Allow-Headers": allowed, "Vary": "Access-Control-Request-Headers"},
    )
