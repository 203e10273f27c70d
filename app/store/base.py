"""The store interface every question goes through, and the lookups shared by both stores."""

from __future__ import annotations

import abc
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from app.errors import BadParameter, UnknownId
from app.snapshot import Snapshot, SnapshotParams, build_graph, snapshot_of
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.scenario import Scenario
from graph_schema.vocabulary import Level, Nature

SCENARIO_SNAPSHOTS = 64  # scenario snapshots kept (each a view over its overlay graph), all stores together
# Shared by a store and its pinned views (``Store.pinned``), keyed by the data they were built from.
_SCENARIO_SNAPSHOTS: OrderedDict[Any, tuple[Any, Snapshot]] = OrderedDict()
_SCENARIO_LOCK = threading.Lock()


class Store(abc.ABC):
    """Alliances, organs, edges and year-snapshots of them.

    A store implements the four abstract methods; lookups and search are written once here on top
    of them, so both stores answer them alike.
    """

    backend: str = "abstract"

    @abc.abstractmethod
    def alliances(self) -> dict[str, Alliance]:
        """Every alliance of the roster, by id."""

    @abc.abstractmethod
    def organs(self) -> dict[str, Organ]:
        """Every organ, by id (all years, planned ones too)."""

    @abc.abstractmethod
    def edges(self) -> dict[str, Edge]:
        """Every edge, by id (all years, conditions and statuses)."""

    @abc.abstractmethod
    def snapshot(self, params: SnapshotParams) -> Snapshot:
        """The organs and edges alive under ``params`` (see ``app.snapshot``)."""

    @abc.abstractmethod
    def health(self) -> dict[str, Any]:
        """Backend name, state, and organ and edge counts."""

    def replace(self, dataset: Any) -> dict[str, Any]:
        """Swap in a validated ``Dataset`` as a whole (the reload route); returns counts.

        All or nothing: a reader sees the old data or the new, never a mix.
        """
        raise NotImplementedError(f"the {self.backend} store cannot be reloaded")

    def close(self) -> None:  # noqa: B027 - a store with nothing to release needs no override
        """Release connections."""

    # ------------------------------------------------------------------ scenarios, for both stores

    _scenarios: dict[str, Scenario] | None = None

    def scenarios(self) -> dict[str, Scenario]:
        """The scenarios a question may name (``scenario=ID``): the shipped ones unless set."""
        if self._scenarios is None:
            from app.scenarios import default_scenarios

            self._scenarios = default_scenarios()
        return self._scenarios

    def set_scenarios(self, scenarios: dict[str, Scenario]) -> None:
        self._scenarios = dict(scenarios)
        with _SCENARIO_LOCK:
            _SCENARIO_SNAPSHOTS.clear()

    def scenario(self, scenario_id: str) -> Scenario:
        scenarios = self.scenarios()
        if scenario_id not in scenarios:
            raise UnknownId("scenario", scenario_id, scenarios)
        return scenarios[scenario_id]

    def scenario_snapshot(self, params: SnapshotParams, scenario: Scenario | None = None) -> Snapshot:
        """The snapshot of ``params`` with a scenario laid over the data, for both stores alike.

        The scenario (``params.scenario``, or ``scenario`` given whole, as ``POST /scenarios/evaluate``
        does) is applied to the store's organs and edges in memory (``app.scenarios.overlay``), after
        plans and before ``exclude``; the same rules then judge the result, what it proposes never
        certain. A scenario of another alliance changes nothing, and the snapshot says so.
        """
        from app.scenarios import overlay

        named = scenario is None
        sc = self.scenario(params.scenario or "") if scenario is None else scenario
        if params.alliance is not None and params.alliance != sc.alliance:
            snap = replace(self.snapshot(replace(params, scenario=None)))
            snap.params = params
            snap.scenario_note = f"scenario {sc.id!r} concerns {sc.alliance}; it changes nothing for {params.alliance}"
            return snap
        if sc.assumes_plans and not params.include_planned:
            params = replace(params, include_planned=True)
        organs, edges = self.organs(), self.edges()
        # The data's version and the very mappings: a snapshot is reused only for the same data.
        key = (params, sc.id, self.version(), id(organs), id(edges))
        cache, lock = _SCENARIO_SNAPSHOTS, _SCENARIO_LOCK
        if named:
            with lock:
                hit = cache.get(key)
                if hit is not None and hit[0] is organs:
                    cache.move_to_end(key)
                    found: Snapshot = hit[1]
                    return found
        ov = overlay(sc, organs, edges)
        graph = build_graph(ov.organs.values(), ov.edges.values())
        snap = snapshot_of(graph, params, self.alliances(), organs=ov.organs, proposed=ov.proposed)
        snap.overlay = ov
        if named:
            with lock:
                cache[key] = (organs, snap)
                while len(cache) > SCENARIO_SNAPSHOTS:
                    cache.popitem(last=False)
        return snap

    # ------------------------------------------------------------------ versions

    def version(self) -> str | None:
        """The version of the data served: the load checksum (``neo4j_load.content_checksum``);
        None when there is none (an empty database)."""
        return None

    def pinned(self) -> Store:
        """This store fixed at its current data version: every call on the view answers from that
        one version, so an answer that asks the store several times (a lookup, then snapshots)
        never mixes two loads. The view's ``version()`` names the data every answer of it rests on.
        """
        return self

    def pinned_if_cached(self) -> Store | None:
        """``pinned()`` if that needs no I/O (the data is cached and fresh), else None; the async
        request path calls ``pinned()`` in a thread only then."""
        return self.pinned()

    # ------------------------------------------------------------------ lookups shared by both stores

    def alliance(self, alliance_id: str) -> Alliance:
        alliances = self.alliances()
        if alliance_id not in alliances:
            raise UnknownId("alliance", alliance_id, alliances)
        return alliances[alliance_id]

    def organ(self, organ_id: str) -> Organ:
        organs = self.organs()
        if organ_id not in organs:
            raise UnknownId("organ", organ_id, organs)
        return organs[organ_id]

    def check_organs(self, ids: Sequence[str], parameter: str) -> None:
        """Raise UnknownId for the first id that is not an organ (named by ``parameter``)."""
        organs = self.organs()
        for organ_id in ids:
            if organ_id not in organs:
                raise UnknownId("organ", organ_id, organs)
        if len(set(ids)) != len(ids):
            raise BadParameter(parameter, "an organ id is repeated")

    def edges_of(self, organ_id: str) -> tuple[list[Edge], list[Edge]]:
        """(edges in, edges out) of an organ, all years."""
        self.organ(organ_id)
        edges = self.edges().values()
        incoming = sorted((e for e in edges if e.target == organ_id), key=lambda e: e.id or "")
        outgoing = sorted((e for e in edges if e.source == organ_id), key=lambda e: e.id or "")
        return incoming, outgoing

    def search(
        self,
        q: str | None = None,
        alliance: str | None = None,
        nature: Nature | None = None,
        level: Level | None = None,
        as_of: int | None = None,
    ) -> list[Organ]:
        """Organs whose acronym, name or an alias contains ``q`` (case-insensitive), filtered.

        ``alliance`` and ``as_of`` select through a snapshot, so an alliance's organs are the same
        here as everywhere else: its own, plus national organs one edge away.
        """
        if alliance is not None:
            self.alliance(alliance)
        if alliance is None and as_of is None:
            pool = list(self.organs().values())
        else:
            pool = self.snapshot(SnapshotParams(alliance=alliance, as_of=as_of)).organs()
        needle = (q or "").strip().casefold()
        found = [
            o
            for o in pool
            if (nature is None or o.nature is nature)
            and (level is None or o.level is level)
            and (not needle or any(needle in t.casefold() for t in (o.name, o.acronym or "", *o.aliases)))
        ]
        return sorted(found, key=lambda o: o.id)
