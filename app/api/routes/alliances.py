"""GET /alliances, /alliances/{id}, /alliances/{id}/organs: the roster and each alliance's organs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.deps import StoreDep
from app.api.params import AsOf, ConditionParam, IncludePlanned, PathId, TableFormat, snapshot_for
from app.api.render import ERRORS, TABLE, respond
from app.questions.common import organ_data
from app.store.base import Store
from graph_schema.models import Alliance

router = APIRouter(tags=["alliances"])

ALLIANCE_COLUMNS = ["id", "name", "treaty_years", "standing_structure", "members", "organs"]
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
    "start",
    "end",
    "uncertain",
]


def alliance_data(alliance: Alliance, store: Store) -> dict[str, Any]:
    data = alliance.model_dump(mode="json", by_alias=True)
    data["organs"] = sum(1 for o in store.organs().values() if o.alliance == alliance.id)
    data["sources"] = data.pop("sources")
    return data


def _alliance_row(a: dict[str, Any]) -> dict[str, Any]:
    members = "; ".join(f"{m['count']}" + (f" ({m['year']})" if m["year"] else "") for m in a["members"])
    return {**a, "members": members}


@router.get("/alliances", summary="The roster: treaty years and whether a standing structure exists", responses=TABLE)
def list_alliances(store: StoreDep, format: TableFormat = "json") -> Any:
    data = [alliance_data(a, store) for a in store.alliances().values()]
    return respond(data, format, lambda d: [_alliance_row(a) for a in d], ALLIANCE_COLUMNS)


@router.get("/alliances/{alliance_id}", summary="One alliance of the roster", responses=ERRORS)
def get_alliance(store: StoreDep, alliance_id: PathId) -> Any:
    return alliance_data(store.alliance(alliance_id), store)


@router.get(
    "/alliances/{alliance_id}/organs",
    summary="An alliance's organs in a year (own + national one edge away)",
    responses=TABLE,
)
def alliance_organs(
    store: StoreDep,
    alliance_id: PathId,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    format: TableFormat = "json",
) -> Any:
    snap = snapshot_for(store, alliance_id, as_of, condition, include_planned)
    organs = [organ_data(o, snap) for o in sorted(snap.organs(), key=lambda o: o.id)]
    return respond(organs, format, columns=ORGAN_COLUMNS)
