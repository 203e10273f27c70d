"""GET /paths, /linkage, /centrality, /compare, /timeline, /diff, /export: the analysts' questions.

Each question's route (and its CSV twin) is built from its descriptor (``app.questions.registry``):
its own parameters and the snapshot query's (one dependency) as query parameters, its answer model,
its summary. The route only asks the question and answers JSON or CSV.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app import schemas
from app.api.deps import StoreDep
from app.api.params import TableFormat, query_parameter, snapshot_query
from app.api.render import ERRORS, EXPORT, fixed_endpoint, media_response, respond, table_route
from app.query import SnapshotQuery
from app.questions import export
from app.questions.export import FORMAT_NOTES, FORMATS, counts_plans
from app.questions.registry import QUESTIONS, Question

router = APIRouter(tags=["questions"])

JSON_EXPORT = schemas.ExportFormat("json")
KEYWORD = inspect.Parameter.KEYWORD_ONLY


def question_endpoint(question: Question) -> Any:
    """``GET /NAME``'s function: FastAPI reads its signature (the store, the question's own
    parameters, the snapshot query, the format), built from the descriptor."""
    asked = snapshot_query(
        "optional" if question.alliance == "none" else question.alliance,
        question.snapshot_without(),
        question.defaults,
        question.descriptions,
    )

    def endpoint(store: Any, query: SnapshotQuery, format: str, **values: Any) -> Response:
        answer, _ = question.ask(store, query, values)
        return respond(answer, format, question.rows, question.columns)

    parameters = [
        inspect.Parameter("store", KEYWORD, annotation=StoreDep),
        *(query_parameter(p.name, p.field) for p in question.params),
        inspect.Parameter("query", KEYWORD, annotation=Annotated[SnapshotQuery, asked]),
        inspect.Parameter("format", KEYWORD, annotation=TableFormat, default=schemas.TableFormat.JSON),
    ]
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Any)  # type: ignore[attr-defined]
    endpoint.__annotations__ = {p.name: p.annotation for p in parameters}
    endpoint.__name__ = endpoint.__qualname__ = f"get_{question.name}"
    endpoint.__doc__ = question.doc
    return endpoint


# The routes' functions by question (the benchmarks mirror their parameters).
ENDPOINTS: dict[str, Any] = {name: question_endpoint(q) for name, q in QUESTIONS.items() if q.route}
for _name, _endpoint in ENDPOINTS.items():
    _question = QUESTIONS[_name]
    table_route(router, f"/{_name}", response_model=_question.model, summary=_question.summary)(_endpoint)


# Plans: counted by the Cypher export unless asked not to (it rebuilds what `alliances load` writes),
# by the others only when asked (``counts_plans``), so the export takes them apart from the query.
EXPORT_QUERY = snapshot_query("optional", without=["exclude", "include_planned"])
PlansByFormat = Annotated[
    bool | None,
    Query(
        description="Count planned organs and edges; by default only the cypher export does, as `alliances load` "
        "writes them"
    ),
]


def get_export(
    store: StoreDep,
    query: Annotated[SnapshotQuery, EXPORT_QUERY],
    include_planned: PlansByFormat = None,
    format: Annotated[schemas.ExportFormat, Query(description="The format.")] = JSON_EXPORT,
) -> Response:
    planned = query.model_copy(update={"include_planned": counts_plans(format, include_planned)})
    content, media = export(planned.snapshot(store), format)
    return Response(content, media_type=media)


EXPORT_SUMMARY = "A snapshot as json, graphml, gexf (time spells), cypher or csv"
router.add_api_route(
    "/export",
    get_export,
    methods=["GET"],
    response_model=schemas.GraphExport,
    summary=EXPORT_SUMMARY,
    description="\n\n".join(f"- `{fmt}`: {note}" for fmt, note in FORMAT_NOTES.items()),
    responses=EXPORT,
)
for _fmt in FORMATS:
    if _fmt == "json":
        continue
    router.add_api_route(
        f"/export.{_fmt}",
        fixed_endpoint(get_export, format=_fmt),
        methods=["GET"],
        name=f"get_export_{_fmt.replace('-', '_')}",
        summary=f"A snapshot as {_fmt}",
        description=FORMAT_NOTES[_fmt],
        response_class=media_response(schemas.media_type(_fmt)),
        responses={200: {"content": {schemas.media_type(_fmt): {"schema": {"type": "string"}}}}, **ERRORS},
    )
