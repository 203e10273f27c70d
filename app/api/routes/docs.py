"""GET /docs (Swagger UI) and /redoc (ReDoc), served from local files: no CDN, and the same
Content-Security-Policy as every other page (no inline script).

The Swagger UI and ReDoc bundles come from the PyPI package ``fastapi-offline`` (its ``static``
folder: swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png); only the files named
here are served. Swagger UI is started by ``app/web/swagger-init.js``; ReDoc starts itself on its
``<redoc spec-url>`` element. ReDoc's search runs in a worker made from a ``blob:`` URL, which the
policy refuses, so it is off; its sidebar's "Redocly" logo is an image on redoc.ly's CDN, which the
policy refuses too (ReDoc then leaves the image out, and the browser logs the refusal).
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from app.errors import UnknownId

router = APIRouter(include_in_schema=False)

BUNDLE_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
WEB_DIR = Path(__file__).resolve().parents[2] / "web"
FILES = {
    "swagger-ui-bundle.js": (BUNDLE_DIR, "text/javascript; charset=utf-8"),
    "swagger-ui.css": (BUNDLE_DIR, "text/css; charset=utf-8"),
    "redoc.standalone.js": (BUNDLE_DIR, "text/javascript; charset=utf-8"),
    "favicon.png": (BUNDLE_DIR, "image/png"),
    "swagger-init.js": (WEB_DIR, "text/javascript; charset=utf-8"),
}
TITLE = "Alliance structure explorer"

# Relative links, so the pages work under a proxy's path prefix too.
SWAGGER_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{TITLE} - API (Swagger UI)</title>
<link rel="icon" type="image/png" href="docs/static/favicon.png">
<link rel="stylesheet" href="docs/static/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec-url="openapi.json"></div>
<script src="docs/static/swagger-ui-bundle.js"></script>
<script src="docs/static/swagger-init.js"></script>
</body>
</html>
"""

REDOC_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{TITLE} - API (ReDoc)</title>
<link rel="icon" type="image/png" href="docs/static/favicon.png">
</head>
<body>
<redoc spec-url="openapi.json" disable-search></redoc>
<script src="docs/static/redoc.standalone.js"></script>
</body>
</html>
"""


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    return HTMLResponse(SWAGGER_PAGE)


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return HTMLResponse(REDOC_PAGE)


@router.get("/docs/static/{name}")
def docs_file(name: str) -> FileResponse:
    if name not in FILES:
        raise UnknownId("docs file", name, FILES)
    folder, media = FILES[name]
    return FileResponse(folder / name, media_type=media)
