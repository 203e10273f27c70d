"""Query parameters for FastAPI: the snapshot query as a dependency, a question's own parameters,
and the few annotations several routes share.

Every parameter is declared once below the web layer, as a pydantic field (``app.query``: the
snapshot query's fields; a question's ``Param``); here each becomes a query parameter with the same
type, constraints, default and description, so the OpenAPI schema says exactly what is accepted.
The closed value sets are enums in the schema (``app.schemas``); a mismatch is a 422 whose message
names the parameter and lists the allowed values (``app.main``). The comma-list parameters are
arrays in the schema: repeated parameters, as generated clients send them
(``kinds=authority&kinds=advice``), and each value may itself be a comma list
(``kinds=authority,advice``), as people type them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal, Union, get_args

from fastapi import Depends, Path, Query
from pydantic.fields import FieldInfo

from app import schemas
from app.api.deps import StoreDep
from app.query import SnapshotQuery, plain_metadata, snapshot_fields
from app.store.base import Store

MAX_ID_LENGTH = 200  # an id in a path; no id of the vocabulary comes close

PathId = Annotated[str, Path(max_length=MAX_ID_LENGTH)]
TableFormat = Annotated[schemas.TableFormat, Query(description="json, or csv for the table.")]
AllianceMode = Literal["required", "optional", "path"]


KEEP: Any = object()  # a route keeps the field's own default or description


def query_parameter(
    name: str, field: FieldInfo, default: Any = KEEP, description: Any = KEEP, required: bool | None = None
) -> inspect.Parameter:
    """``field`` as a keyword parameter FastAPI reads from the query: its type, constraints, alias,
    default and description as declared, or a route's own ``default``, ``description`` and
    ``required`` (a required field takes no ``None``)."""
    value = field.default if default is KEEP else default
    text = field.description if description is KEEP else description
    if required is None:
        required = field.is_required() and default is KEEP
    annotation: Any = field.annotation
    if required and type(None) in get_args(annotation):
        annotation = Union[tuple(a for a in get_args(annotation) if a is not type(None))]  # noqa: UP007
    query = Query(alias=field.alias, description=text)
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[(annotation, *plain_metadata(field), query)],
        default=inspect.Parameter.empty if required else value,
    )


def snapshot_query(
    alliance: AllianceMode = "optional",
    without: Iterable[str] = (),
    defaults: Mapping[str, Any] | None = None,
    descriptions: Mapping[str, str | None] | None = None,
) -> Any:
    """The snapshot query as a FastAPI dependency: ``query: Annotated[SnapshotQuery, snapshot_query(...)]``.

    Its query parameters are the snapshot query's fields less ``without``, with ``defaults`` and
    ``descriptions`` of the route's own; the alliance is ``required``, ``optional`` or the path's
    ``{alliance_id}``. The values arrive checked (FastAPI validates each parameter as its field
    declares), so the object is built without checking them again.
    """
    fields = snapshot_fields(without)
    defaults, descriptions = dict(defaults or {}), dict(descriptions or {})
    parameters = []
    for name, field in fields.items():
        if name == "alliance" and alliance == "path":
            parameters.append(inspect.Parameter("alliance_id", inspect.Parameter.KEYWORD_ONLY, annotation=PathId))
            continue
        required = name == "alliance" and alliance == "required"
        parameters.append(
            query_parameter(
                name, field, defaults.get(name, KEEP), descriptions.get(name, KEEP), required=required or None
            )
        )

    def dependency(**values: Any) -> SnapshotQuery:
        if "alliance_id" in values:
            values["alliance"] = values.pop("alliance_id")
        return SnapshotQuery.model_construct(**values)

    dependency.__signature__ = inspect.Signature(parameters, return_annotation=SnapshotQuery)  # type: ignore[attr-defined]
    return Depends(dependency)


def query_annotation(name: str) -> Any:
    """One field of the snapshot query as a route's own query parameter (``as_of: AsOf = None``)."""
    field = SnapshotQuery.model_fields[name]
    return Annotated[(field.annotation, *plain_metadata(field), Query(description=field.description))]


AsOf = query_annotation("as_of")
Sources = query_annotation("sources")
IncludePlanned = query_annotation("include_planned")
ExistenceParam = query_annotation("existence")


def counted_store(store: StoreDep, sources: Sources = None) -> Store:  # type: ignore[valid-type]
    """The store as the sources a request counts have it (``sources=``, the snapshot query's one
    field), for the routes that take no snapshot but answer about organs, alliances or indicators:
    ``/alliances``, ``/alliances/{id}``, ``/organs``, ``/organs/{id}``, ``/indicators``."""
    return SnapshotQuery.model_construct(sources=sources).counted(store)


CountedStoreDep = Annotated[Store, Depends(counted_store)]
