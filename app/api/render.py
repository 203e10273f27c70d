"""Answers as JSON or, for tables, CSV: every list has its machine twin one parameter away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse, Response

from app.questions.export import rows_to_csv


def respond(
    data: Any,
    fmt: str = "json",
    rows: Callable[[Any], list[dict[str, Any]]] | None = None,
    columns: list[str] | None = None,
) -> Response:
    if fmt == "csv":
        table = rows(data) if rows else data
        return Response(rows_to_csv(table, columns), media_type="text/csv; charset=utf-8")
    return JSONResponse(data)
