"""The explorer's app with extra routes for the benchmarks: the framework's floor, two ways.

Only the benchmarks build this app (``uvicorn bench.app:create_bench_app --factory``); the
production app (``app.main:app``) has no bench route.

``GET /bench/floor`` answers constant JSON. It goes through everything a question does except the
question and its parameters: the same middleware, the same threadpool (a plain ``def`` route, as
the question routes are) and the same ``JSONResponse``. A question's throughput against the
floor's is the target of issue 6.

``GET /bench/floor/paths`` and ``/bench/floor/linkage`` take exactly the parameters (and the store
dependency) of ``/paths`` and ``/linkage``, validated by FastAPI the same way, and answer the same
constant: what declaring those parameters costs before any question is asked. It splits a
question's cost over the floor into the framework's share and the question's own.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from app.api.routes import questions
from app.main import create_app

FLOOR_PATH = "/bench/floor"
FLOOR_BODY = {"floor": True, "what": "constant JSON: the framework's floor for this app", "n": 1}
MIRRORED: dict[str, Callable[..., Any]] = {name: questions.ENDPOINTS[name] for name in ("paths", "linkage")}


def _mirror(route: Callable[..., Any]) -> Callable[..., JSONResponse]:
    """A route with ``route``'s parameters that ignores them and answers the floor's constant."""

    def floor_with_parameters(**_: Any) -> JSONResponse:
        return JSONResponse(FLOOR_BODY)

    floor_with_parameters.__signature__ = inspect.signature(route, eval_str=True)  # type: ignore[attr-defined]
    return floor_with_parameters


def create_bench_app() -> FastAPI:
    app = create_app()

    @app.get(FLOOR_PATH, include_in_schema=False)
    def floor() -> JSONResponse:
        return JSONResponse(FLOOR_BODY)

    for name, route in MIRRORED.items():
        app.add_api_route(f"{FLOOR_PATH}/{name}", _mirror(route), methods=["GET"], include_in_schema=False)
    return app
