"""The ASGI app (``app.main:app``): routes, error handling, and the store chosen by the environment."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.answers import AnswerCache
from app.api.deps import get_store
from app.api.params import PATTERN_HINTS
from app.api.routes import admin, alliances, browser, diagrams, health, organs, pages, questions
from app.config import get_settings
from app.errors import ExplorerError
from app.security import SecurityHeaders
from app.seeds import SeedError

log = logging.getLogger("alliance_explorer")

DESCRIPTION = (
    "The institutional structure of America's military alliances (Finnegan, *Benchmarking America's "
    "Military Alliances*, 2009) as a property graph: organs, and the authority, advice, coordination, "
    "support and membership edges between them, by year and condition. Every organ and edge carries a "
    "verbatim quote from the paper."
)


def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body")]
    parameter = ".".join(loc) or "request"
    reason = first.get("msg", "invalid value")
    if first.get("type") == "string_pattern_mismatch" and parameter in PATTERN_HINTS:
        reason = f"{first.get('input')!r} is not accepted; {PATTERN_HINTS[parameter]}"
    message = f"{parameter}: {reason}"
    details = [{"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg")} for e in errors]
    return JSONResponse({"error": message, "parameter": parameter, "details": details}, status_code=422)


def _explorer_error(_: Request, exc: ExplorerError) -> JSONResponse:
    return JSONResponse(exc.payload(), status_code=exc.status)


def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    # Routing errors (no such path, wrong method) in the same JSON shape as every other error.
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404:
        message = "no such endpoint; see /docs for the API"
    return JSONResponse({"error": message}, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    # Never a traceback to the client; the log keeps it.
    log.exception("unexpected error", exc_info=exc)
    return JSONResponse({"error": "internal error; the server log has the details"}, status_code=500)


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    # Build the store at start-up, so invalid seeds stop the server with every problem named
    # (the checks of `alliances validate`) instead of failing its first request.
    try:
        get_store()
    except SeedError as err:
        for problem in err.problems:
            log.error("%s", problem)
        count = len(err.problems)
        raise RuntimeError(f"the seeds are invalid ({count} problem(s)); run 'alliances validate'") from None
    yield


def create_app() -> FastAPI:
    app = FastAPI(title="Alliance structure explorer", version="0.1.0", description=DESCRIPTION, lifespan=_lifespan)
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(ExplorerError, _explorer_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
    settings = get_settings()
    # Innermost, so CORS and the security headers apply to replayed answers as to fresh ones.
    app.add_middleware(
        AnswerCache,
        paths=[route.path for route in questions.router.routes if hasattr(route, "path")],
        max_bytes=int(settings.alliance_answer_cache_mb * 2**20),
    )
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"])
    app.add_middleware(SecurityHeaders)
    for module in (health, alliances, organs, questions, admin, browser, diagrams, pages):
        app.include_router(module.router)
    return app


app = create_app()
