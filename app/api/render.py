"""Answers as JSON or, for tables, CSV: every list has its machine twin one parameter away.

Each table route is also served at its path with ``.csv`` (``/paths.csv``), and each export format
at ``/export.<format>``: the same answer, one media type per operation. A generated client parses a
response by the first media type its operation declares (openapi-python-client does), so an
operation that answers JSON or CSV by a parameter can only be read whole in its first one; the
twins give every format an operation of its own. ``format=`` keeps working as it always has.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from app.questions.export import FORMATS, rows_to_csv
from app.schemas import ErrorBody, media_type

ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS


class AnswerJSON(JSONResponse):
    """JSON as ``JSONResponse`` writes it (compact, UTF-8), serialised by orjson: the same values,
    several times faster (``python -m bench``, "serialisation"), paid once per distinct question
    (``app.api.answers`` keeps the bytes). A value orjson does not know falls back to the json
    module (and its error)."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content, option=ORJSON_OPTIONS)
        except TypeError:
            return super().render(content)


def respond(
    data: Any,
    fmt: str = "json",
    rows: Callable[[Any], list[dict[str, Any]]] | None = None,
    columns: list[str] | None = None,
) -> Response:
    if fmt == "csv":
        table = rows(data) if rows else data
        return Response(rows_to_csv(table, columns), media_type="text/csv; charset=utf-8")
    return AnswerJSON(data)


_ERROR = {"model": ErrorBody}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {**_ERROR, "description": "Unknown id (named, with close matches)"},
    422: {**_ERROR, "description": "Bad parameter (named)"},
    503: {**_ERROR, "description": "The store cannot be reached"},
    431: {**_ERROR, "description": "The request line and headers are too large (at most 16 KB)"},
}
TEXT = {"schema": {"type": "string"}}
CSV: dict[str, Any] = {"text/csv": TEXT}
TABLE: dict[int | str, dict[str, Any]] = {
    200: {"content": CSV, "description": "JSON, or CSV with format=csv"},
    **ERRORS,
}
EXPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {media_type(f): TEXT for f in FORMATS if f != "json"},
        "description": "The snapshot in the requested format",
    },
    **ERRORS,
}


def media_response(media: str) -> type[Response]:
    """A ``Response`` class whose media type is ``media``: FastAPI declares it as the 200 content."""
    return type(f"Response_{media.replace('/', '_').replace('+', '_')}", (Response,), {"media_type": media})


def fixed_endpoint(func: Callable[..., Any], **fixed: Any) -> Callable[..., Any]:
    """``func`` with some parameters fixed: FastAPI sees the other parameters, typed as in ``func``."""
    hints = typing.get_type_hints(func, include_extras=True)
    signature = inspect.signature(func)
    params = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()]

    @functools.wraps(func)
    def endpoint(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs, **fixed)

    endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in params if p.name not in fixed], return_annotation=Response
    )
    return endpoint


def table_route(
    router: APIRouter, path: str, *, response_model: Any, summary: str, **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``GET path`` answering ``response_model`` as JSON or CSV (``format``), and ``GET path.csv``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(
            path, func, methods=["GET"], response_model=response_model, summary=summary, responses=TABLE, **kwargs
        )
        router.add_api_route(
            f"{path}.csv",
            fixed_endpoint(func, format="csv"),
            methods=["GET"],
            name=f"{func.__name__}_csv",
            summary=f"{summary} (CSV)",
            response_class=media_response("text/csv"),
            responses={200: {"content": CSV, "description": "The table, as CSV"}, **ERRORS},
            **kwargs,
        )
        return func

    return decorate
