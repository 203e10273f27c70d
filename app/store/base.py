"""The store interface every question goes through, and the lookups shared by both stores."""

from __future__ import annotations

import abc
import difflib
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from app.cache import ByteLRU, scenario_snapshot_bytes, snapshot_growth
from app.errors import AmbiguousId, BadParameter, UnknownId
from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot, build_graph, snapshot_of, with_sources
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.scenario import Scenario
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import PAPER_ID, Existence, Level, Nature

Data = tuple[dict[str, Alliance], dict[str, Organ], dict[str, Edge]]
"""(alliances, organs, edges) as a set of counted sources has them."""

SCENARIO_SNAPSHOT_BYTES = 64 * 2**20  # scenario snapshots kept (each with its overlay graph), all stores together
# Shared by a store and its pinned views (``Store.pinned``), keyed by the data they were built from.
_SCENARIO_SNAPSHOTS: ByteLRU[Any, tuple[Any, Snapshot]] = ByteLRU(
    SCENARIO_SNAPSHOT_BYTES, lambda entry: scenario_snapshot_bytes(entry[1]), lambda entry: snapshot_growth(entry[1])
)


def set_scenario_cache_bytes(max_bytes: int) -> None:
    """Bound the scenario snapshots kept, all stores together (estimated bytes, ``app.cache``)."""
    _SCENARIO_SNAPSHOTS.set_max_bytes(max_bytes)


# Tokens of scenario sets other than the shipped ones, unique in the process (``scenarios_token``).
_SCENARIO_SETS = itertools.count(1)


class Store(abc.ABC):
    """Alliances, organs, edges and year-snapshots of them.

    A store implements the five abstract methods (``alliances``, ``organs``, ``edges``, ``snapshot``,
    ``health``); lookups and search are written once here on top of them, so both stores answer
    them alike.
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

    def check(self) -> None:  # noqa: B027 - a store in this process is always reachable
        """Raise StoreUnavailable at once when the store cannot be reached (a command checks first)."""

    def close(self) -> None:  # noqa: B027 - a store with nothing to release needs no override
        """Release connections."""

    # ------------------------------------------------------------------ scenarios, for both stores

    _scenarios: dict[str, Scenario] | None = None
    _scenarios_token: str = "shipped"

    def scenarios(self) -> dict[str, Scenario]:
        """The scenarios a question may name (``scenario=ID``): the shipped ones unless set."""
        if self._scenarios is None:
            from app.defaults import default_scenarios

            self._scenarios = default_scenarios()
        return self._scenarios

    def set_scenarios(self, scenarios: dict[str, Scenario]) -> None:
        self._scenarios = dict(scenarios)
        self._scenarios_token = f"set-{next(_SCENARIO_SETS)}"
        _SCENARIO_SNAPSHOTS.clear()

    def scenarios_token(self) -> str:
        """Names the scenario set ``scenarios()`` answers from: "shipped", or a token unique in the
        process for a set given by ``set_scenarios`` (answers cached under one never serve another)."""
        return self._scenarios_token

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
        alliances, organs, edges = self.counted_data(params.sources)
        # The data's version and the very mappings: a snapshot is reused only for the same data.
        key = (params, sc.id, self.version(), id(organs), id(edges))
        if named:
            hit = _SCENARIO_SNAPSHOTS.get(key)
            if hit is not None and hit[0] is organs:
                found: Snapshot = hit[1]
                return found
        ov = overlay(sc, organs, edges)
        graph = build_graph(ov.organs.values(), ov.edges.values())
        snap = snapshot_of(graph, params, alliances, organs=ov.organs, proposed=ov.proposed)
        snap.overlay = ov
        with_sources(snap, params.sources or self.source_ids(), self.sources())
        if named:
            _SCENARIO_SNAPSHOTS.put(key, (organs, snap))
        return snap

    # ------------------------------------------------------------------ sources (CONTRACT.md §2)

    def sources(self) -> dict[str, SourceRecord]:
        """The loaded sources by id, the paper first."""
        return {}

    def source_ids(self) -> tuple[str, ...]:
        """The ids of the loaded sources, the paper first."""
        return tuple(self.sources()) or (PAPER_ID,)

    def resolve_sources(self, texts: Sequence[str] | None, parameter: str = "sources") -> tuple[str, ...] | None:
        """The sources a question counts (``sources=ID,ID``), in the store's order; None (all loaded)
        when it names none, or all. An id no loaded source has is a 404 naming it, with close matches."""
        if not texts:
            return None
        loaded = self.source_ids()
        for text in texts:
            if text not in loaded:
                raise UnknownId("source", text, loaded, parameter)
        named = set(texts)
        counted = tuple(sid for sid in loaded if sid in named)
        return None if len(counted) == len(loaded) else counted

    def counted_data(self, sources: tuple[str, ...] | None) -> Data:
        """(alliances, organs, edges) as ``sources`` have them (all loaded when None)."""
        return self.alliances(), self.organs(), self.edges()

    def counted_sources(self) -> tuple[str, ...]:
        """The sources this store's answers count (``counted_sources``): all loaded, or a
        ``sourced`` view's."""
        return self.source_ids()

    def sourced(self, sources: tuple[str, ...] | None) -> Store:
        """This store as ``sources`` have it: lookups, searches and snapshots count only them (itself
        when None: all loaded)."""
        return self if sources is None else SourcedStore(self, sources)

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
        """The alliance named by ``alliance_id`` (an id, or what ``resolve_alliance`` accepts)."""
        return self.alliances()[self.resolve_alliance(alliance_id)]

    def organ(self, organ_id: str) -> Organ:
        """The organ named by ``organ_id`` (an id, or what ``resolve_organ`` accepts)."""
        return self.organs()[self.resolve_organ(organ_id)]

    def resolve_alliance(self, text: str, parameter: str = "alliance") -> str:
        """The id of the one alliance ``text`` names (CONTRACT.md §2); see ``resolve_name``."""
        alliances = self.alliances()
        if text in alliances:  # the common case, before any index is built
            return text
        return resolve_name(text, parameter, "alliance", [(a.id, a.name, None, a.aliases) for a in alliances.values()])

    def resolve_organ(self, text: str, parameter: str = "organ", scenario: str | Scenario | None = None) -> str:
        """The id of the one organ ``text`` names (CONTRACT.md §2); see ``resolve_name``.

        With ``scenario`` (an id, or a scenario given whole), the organs it adds are named too: a
        question asked of a scenario looks its ids up in the snapshot the scenario made (a scenario
        applies after plans and before ``exclude``), as ``POST /scenarios/evaluate`` does.
        """
        organs: Mapping[str, Organ] = self.organs()
        if text in organs:
            return text
        if scenario is not None:
            sc = self.scenario(scenario) if isinstance(scenario, str) else scenario
            organs = {**organs, **{o.id: o for o in sc.add_organs}}
            if text in organs:
                return text
        return resolve_name(text, parameter, "organ", [(o.id, o.name, o.acronym, o.aliases) for o in organs.values()])

    def resolve_organs(self, texts: Sequence[str], parameter: str, scenario: str | Scenario | None = None) -> list[str]:
        """``resolve_organ`` for each of a list; a 422 when two of them name the same organ."""
        ids = [self.resolve_organ(t, parameter, scenario) for t in texts]
        if len(set(ids)) != len(ids):
            raise BadParameter(parameter, "an organ is named twice")
        return ids

    def edges_of(self, organ_id: str) -> tuple[list[Edge], list[Edge]]:
        """(edges in, edges out) of an organ, all years."""
        organ_id = self.resolve_organ(organ_id)
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
        existence: Existence = Existence.POSSIBLE,
    ) -> list[Organ]:
        """Organs whose acronym, name or an alias contains ``q`` (case-insensitive), filtered.

        ``alliance``, ``as_of`` and ``existence`` select through a snapshot, so an alliance's organs
        are the same here as everywhere else: its own, plus national organs one edge away; and
        ``existence=certain`` keeps only what the paper places in the year (CONTRACT.md §1: it
        applies to every endpoint that takes ``as_of``; without a year, what is certain in some year).
        """
        if alliance is not None:
            alliance = self.resolve_alliance(alliance)
        if alliance is None and as_of is None and existence is Existence.POSSIBLE:
            pool = list(self.organs().values())
        else:
            pool = self.snapshot(SnapshotParams(alliance=alliance, as_of=as_of, existence=existence)).organs()
        needle = (q or "").strip().casefold()
        found = [
            o
            for o in pool
            if (nature is None or o.nature is nature)
            and (level is None or o.level is level)
            and (not needle or any(needle in t.casefold() for t in (o.name, o.acronym or "", *o.aliases)))
        ]
        return sorted(found, key=lambda o: o.id)


class SourcedStore(Store):
    """A store as a set of counted sources has it (``Store.sourced``): its alliances, organs, edges
    and snapshots are those the sources claim, pooled (``app.combine``); its version names the set,
    so an answer's ``ETag`` keys on it."""

    def __init__(self, inner: Store, sources: tuple[str, ...]) -> None:
        self._inner, self.counted = inner, sources
        self.backend = inner.backend

    def alliances(self) -> dict[str, Alliance]:
        return self._inner.counted_data(self.counted)[0]

    def organs(self) -> dict[str, Organ]:
        return self._inner.counted_data(self.counted)[1]

    def edges(self) -> dict[str, Edge]:
        return self._inner.counted_data(self.counted)[2]

    def counted_data(self, sources: tuple[str, ...] | None) -> Data:
        return self._inner.counted_data(sources)

    def snapshot(self, params: SnapshotParams) -> Snapshot:
        params = replace(params, sources=self.counted)
        if params.scenario is not None:
            return self.scenario_snapshot(params)
        return self._inner.snapshot(params)

    def health(self) -> dict[str, Any]:
        return self._inner.health()

    def sources(self) -> dict[str, SourceRecord]:
        return self._inner.sources()

    def counted_sources(self) -> tuple[str, ...]:
        return self.counted

    def scenarios(self) -> dict[str, Scenario]:
        return self._inner.scenarios()

    def scenarios_token(self) -> str:
        return self._inner.scenarios_token()

    def version(self) -> str | None:
        version = self._inner.version()
        return None if version is None else f"{version}+{'+'.join(self.counted)}"

    def pinned(self) -> Store:
        return SourcedStore(self._inner.pinned(), self.counted)

    def pinned_if_cached(self) -> Store | None:
        pinned = self._inner.pinned_if_cached()
        return None if pinned is None else SourcedStore(pinned, self.counted)

    def replace(self, dataset: Any) -> dict[str, Any]:
        return self._inner.replace(dataset)

    def check(self) -> None:
        self._inner.check()


# A record to resolve against: (id, name, acronym, aliases).
Named = tuple[str, str, "str | None", "Sequence[str]"]


def resolve_name(text: str, parameter: str, what: str, records: Sequence[Named]) -> str:
    """The id of the one record ``text`` names, as contract §2 asks.

    Ids are matched exactly first. Otherwise ``text`` is compared, case-insensitively, with the
    ids, then the acronyms, then the names, then the aliases, in that order: the first of these
    that names anything decides. One record: its id. More than one: ``AmbiguousId`` (a 422 listing
    them) -- "President" is both the U.S. and the ROK President, "JFC" three commands. None at
    all: ``UnknownId`` (a 404) with close matches over ids, acronyms, names and aliases.

    The tiers keep a body's own name above a phrase the paper also uses for another organ:
    "Combined Forces Command" is CFC's name and only an alias of its commander.
    """
    needle = " ".join(text.split()).casefold()
    if not needle:  # nothing names nothing: unknown, as an id that is not in the data
        raise UnknownId(what, text, [], parameter, [])
    tiers: list[Callable[[Named], list[str]]] = [
        lambda r: [r[0]],
        lambda r: [r[2]] if r[2] else [],
        lambda r: [r[1]],
        lambda r: list(r[3]),
    ]
    for labels in tiers:
        hits = [r for r in records if any(" ".join(label.split()).casefold() == needle for label in labels(r))]
        if len(hits) == 1:
            return hits[0][0]
        if hits:
            candidates: list[dict[str, object]] = [
                {"id": r[0], "name": r[1], "acronym": r[2]} for r in sorted(hits, key=lambda r: r[0])
            ]
            raise AmbiguousId(what, text, parameter, candidates)
    raise UnknownId(what, text, [r[0] for r in records], parameter, suggest(text, records))


def suggest(text: str, records: Sequence[Named], n: int = 5) -> list[str]:
    """Ids of records whose id, acronym, name or an alias is close to ``text`` or contains it."""
    needle = text.strip().casefold()
    labels: dict[str, list[str]] = {}
    for r in records:
        for label in (r[0], r[1], r[2] or "", *r[3]):
            if label:
                labels.setdefault(label.casefold(), []).append(r[0])
    found: list[str] = []

    def add(ids: Iterable[str]) -> None:
        for i in ids:
            if i not in found and len(found) < n:
                found.append(i)

    for label in difflib.get_close_matches(needle, list(labels), n=n, cutoff=0.6):
        add(labels[label])
    if needle:
        for label in sorted(labels):
            if needle in label:
                add(sorted(labels[label]))
    return found
