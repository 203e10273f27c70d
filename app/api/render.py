"""Answers as JSON or, for tables, CSV: every list has its machine twin one parameter away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from app.questions.export import rows_to_csv

try:
    import orjson
except ImportError:  # a dependency (pyproject); without it answers are serialised by the json module
    orjson = None  # type: ignore[assignment]


class AnswerJSON(JSONResponse):
    """JSON as ``JSONResponse`` writes it (compact, UTF-8), by orjson: the same bytes for the
    answers, about 15x faster (``python -m bench``, "serialisation"), which a question pays once per
    distinct set of parameters (``app.api.answers`` keeps the bytes)."""

    def render(self, content: Any) -> bytes:
        if orjson is not None:
            try:
                return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
            except TypeError:  # a value orjson does not know: the json module's answer (or error)
                pass
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


class ErrorBody(BaseModel):
    """Every error answer: a human message, and what it concerns when known."""

    model_config = ConfigDict(extra="allow")

    error: str
    parameter: str | None = None
    id: str | None = None
    close_matches: list[str] | None = None


_ERROR = {"model": ErrorBody}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {**_ERROR, "description": "Unknown id (named, with close matches)"},
    422: {**_ERROR, "description": "Bad parameter (named)"},
    503: {**_ERROR, "description": "The store cannot be reached"},
}
TABLE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}},
        "description": "JSON, or CSV with format=csv",
    },
    **ERRORS,
}
EXPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "application/json": {"schema": {"type": "object"}},
            **{media: {"schema": {"type": "string"}} for media in ("application/xml", "text/plain", "text/csv")},
        },
        "description": "The snapshot in the requested format",
    },
    **ERRORS,
}
