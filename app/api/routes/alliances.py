"""GET /alliances, /alliances/{id}, /alliances/{id}/organs: the roster and each alliance's organs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app import schemas
from app.api.deps import StoreDep
from app.api.params import AsOf, CountedStoreDep, TableFormat, snapshot_query
from app.api.render import ERRORS, respond, table_route
from app.query import SnapshotQuery
from app.questions.codings import alliance_codings_data
from app.questions.common import organ_data, organ_row
from app.questions.indicators import indicator_data
from app.store.base import Store
from graph_schema.models import Alliance

router = APIRouter(tags=["alliances"])

ALLIANCE_COLUMNS = ["id", "name", "treaty_years", "standing_structure", "members", "organs", "indicators"]
ORGAN_COLUMNS = [
    "id",
    "acronym",
    "name",
    "type",
    "alliance",
    "nation",
    "nature",
    "level",
    "status",
    "established",
    "ended",
    "not_before",
    "planned_start",
    "planned_end",
    "start_edtf",
    "end_edtf",
    "existence",
    "existence_rule",
    "existence_quote",
    "status_rule",
]


def alliance_data(alliance: Alliance, store: Store, codings: bool = False, as_of: int | None = None) -> dict[str, Any]:
    """An alliance record: ``members`` derived from its member-count indicators, then its indicators;
    with ``codings``, its treaty codings and members by year from each source that gives them."""
    data = alliance.model_dump(mode="json", by_alias=True, exclude={"indicators", "codings"})
    data["members"] = [m.model_dump(mode="json") for m in alliance.members]
    data["indicators"] = [indicator_data(i, store) for i in alliance.indicators]
    data["organs"] = sum(1 for o in store.organs().values() if o.alliance == alliance.id)
    if codings:
        data["as_of"] = as_of
        data.update(alliance_codings_data(store, alliance.id, as_of))
    data["sources"] = data.pop("sources")
    data["counted_sources"] = list(store.counted_sources())
    return data


def _alliance_row(a: dict[str, Any]) -> dict[str, Any]:
    members = "; ".join(f"{m['count']}" + (f" ({m['year']})" if m["year"] else "") for m in a["members"])
    return {**a, "members": members, "indicators": len(a["indicators"])}


@table_route(
    router,
    "/alliances",
    response_model=list[schemas.AllianceOut],
    summary="The roster: treaty years and whether a standing structure exists",
)
def list_alliances(store: CountedStoreDep, format: TableFormat = schemas.TableFormat.JSON) -> Any:
    data = [alliance_data(a, store) for a in store.alliances().values()]
    return respond(data, format, lambda d: [_alliance_row(a) for a in d], ALLIANCE_COLUMNS)


@router.get(
    "/alliances/{alliance_id}",
    summary="One alliance of the roster",
    response_model=schemas.AllianceOut,
    responses=ERRORS,
)
def get_alliance(store: CountedStoreDep, alliance_id: str, as_of: AsOf = None) -> Any:
    """The record, its treaty codings (``codings``: each phase a dataset source codes, each value with
    its meaning and locator) and its members by year from each source that gives them; with
    ``as_of=Y`` each source's member figure in Y side by side (a dated value holds in Y when in effect
    on 31 December of Y), ``disputed`` where they differ. ``sources=`` counts the codings too:
    ``sources=finnegan-2009`` leaves them out and says so."""
    return JSONResponse(alliance_data(store.alliance(alliance_id), store, codings=True, as_of=as_of))


@table_route(
    router,
    "/alliances/{alliance_id}/organs",
    response_model=list[schemas.OrganOut],
    summary="An alliance's organs in a year (own + national one edge away)",
)
def alliance_organs(
    store: StoreDep,
    query: Annotated[SnapshotQuery, snapshot_query("path", without=["exclude"])],
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    snap = query.snapshot(store)
    organs = [organ_data(o, snap) for o in sorted(snap.organs(), key=lambda o: o.id)]
    return respond(organs, format, lambda d: [organ_row(o) for o in d], ORGAN_COLUMNS)
