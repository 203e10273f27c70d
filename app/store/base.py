"""The store interface every question goes through, and the lookups shared by both stores."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

from app.errors import BadParameter, UnknownId
from app.snapshot import Snapshot, SnapshotParams
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.vocabulary import Level, Nature


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

    def version(self) -> str | None:
        """The data version answers are computed from (a load checksum, a reload generation).

        Two calls that return the same version see the same data, so an answer cached under it
        stays right; a reload or a new load changes it. May ask the database.
        """
        return None

    def known_version(self) -> str | None:
        """``version()`` when it is known without any I/O, else None (the caller asks ``version()``
        off the event loop)."""
        return None

    def close(self) -> None:  # noqa: B027 - a store with nothing to release needs no override
        """Release connections."""

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
