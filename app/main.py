"""The ASGI app (``app.main:app``): routes, error handling, and the store chosen by the environment."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.answers import AnswerCache
from app.api.deps import get_store
from app.api.render import ERRORS
from app.api.routes import (
    admin,
    alliances,
    browser,
    diagrams,
    docs,
    health,
    indicators,
    kinds,
    organs,
    pages,
    questions,
    scenarios,
    sources,
)
from app.api.versions import DataVersion
from app.config import get_settings
from app.deadline import RequestDeadlines
from app.errors import ExplorerError
from app.problems import SeedError
from app.query import error_parameter, reason
from app.security import HeadAsGet, RequestHeadLimit, SecurityHeaders
from app.store.embedded import EmbeddedStore
from graph_schema.kind_docs import kind_names

log = logging.getLogger("alliance_explorer")
FREEZE_FROM_ORGANS = 10_000  # an embedded store this large is kept out of the garbage collector's passes

DESCRIPTION = (
    "The institutional structure of America's military alliances (Finnegan, *Benchmarking America's "
    f"Military Alliances*, 2009) as a property graph: organs, and the {kind_names()} edges between them, "
    "by year and condition. Every organ and edge carries a verbatim quote from the paper."
)


def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {}
    parameter = error_parameter(first)
    message = f"{parameter}: {reason(first, parameter)}"
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
        store = get_store()
    except SeedError as err:
        for problem in err.problems:
            log.error("%s", problem)
        raise RuntimeError(err.summary()) from None
    except ExplorerError as err:  # e.g. a NEO4J_URI the driver refuses; the message is redacted
        raise RuntimeError(err.message) from None
    # A large structure loaded at start-up lives as long as the process, so the garbage collector's
    # full passes leave it out: at 100k organs (20 million objects) one pass took 13 s of CPU that no
    # deadline check can interrupt, and questions answered past their deadline (issue 29 item 3).
    if isinstance(store, EmbeddedStore):
        store.version()  # the data version every answer carries, computed now rather than by the first request
    frozen = isinstance(store, EmbeddedStore) and len(store.dataset.organs) >= FREEZE_FROM_ORGANS
    if frozen:
        gc.collect()
        gc.freeze()
    yield
    if frozen:
        gc.unfreeze()


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names (``get_paths``, ``get_export_graphml``), so a
    generated client's functions read as the API does."""
    return route.name


_TOO_LARGE = {
    "description": ERRORS[431]["description"],
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
}


def _json_errors(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """``app.openapi`` with every error answer declared as ``application/json``, which it always is,
    the 431 that ``RequestHeadLimit`` gives before any route declared on every operation, and the
    request models' titles apart from the answers' models of the same name.

    FastAPI declares an error model under the route's own media type (``text/csv`` for a CSV route,
    ``image/svg+xml`` for the chart), so a generated client would read a CSV route's 404 as CSV.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            for operations in build()["paths"].values():
                for operation in operations.values():
                    responses = operation.setdefault("responses", {})
                    responses.setdefault("431", _TOO_LARGE)
                    for code, response in responses.items():
                        content = response.get("content")
                        if code[:1] in ("4", "5") and content and "application/json" not in content:
                            response["content"] = {"application/json": next(iter(content.values()))}
            # A request model named like an answer's (the vocabulary's Source, an answer's Source) is
            # "Source-Input" beside "Source-Output"; its own title keeps generated clients' classes apart.
            for name, component in build().get("components", {}).get("schemas", {}).items():
                if name.endswith("-Input"):
                    component["title"] = name.replace("-", "")
            _drop_unreached(build())
        return build()

    return openapi


def _drop_unreached(schema: dict[str, Any]) -> None:
    """Remove the components no operation reaches: a model a field hides from the schema
    (``SkipJsonSchema``, the organs' ``claims``) still leaves its own component behind."""
    components = schema.get("components", {}).get("schemas", {})
    reached: set[str] = set()
    todo: list[Any] = [schema["paths"]]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in reached and name in components:
                    reached.add(name)
                    todo.append(components[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    for name in set(components) - reached:
        del components[name]


def create_app() -> FastAPI:
    app = FastAPI(
        title="Alliance structure explorer",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=_lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,
        redoc_url=None,
    )
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(ExplorerError, _explorer_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
    settings = get_settings()
    # Innermost, so the ETag, CORS and the security headers apply to replayed answers as to fresh ones.
    app.add_middleware(
        AnswerCache,
        paths=[route.path for route in questions.router.routes if isinstance(route, APIRoute)],
        max_bytes=int(settings.alliance_answer_cache_mb * 2**20),
        store=get_store,
    )
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET"])
    app.add_middleware(DataVersion)  # the ETag of every answer, and If-None-Match -> 304
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestDeadlines, compute_seconds=settings.alliance_compute_deadline_seconds)
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestHeadLimit)
    for module in (
        health,
        alliances,
        organs,
        indicators,
        kinds,
        questions,
        scenarios,
        sources,
        admin,
        browser,
        diagrams,
        pages,
        docs,
    ):
        app.include_router(module.router)
    app.openapi = _json_errors(app)  # type: ignore[method-assign]
    return app


app = create_app()
