"""Deadlines of a request: how long its question may compute, and since when it waits on the store.

``RequestDeadlines`` (ASGI middleware) starts both clocks when a request arrives: the compute
deadline (``ALLIANCE_COMPUTE_DEADLINE_SECONDS``) and the request's start, against which the Neo4j
store bounds all of its reads together (``app.store.neo4j_store``). They live in context variables,
which follow the request into the thread its route runs in; outside a request (the CLI, a test
calling a question directly) there is no deadline.

CPU-bound work cannot be stopped from another thread, so the questions check the deadline
themselves (cooperatively): ``check()`` between steps, and ``watched(graph)``, a view of a networkx
graph that checks it every few hundred neighbour visits, handed to the library's own loops
(centrality, components; the path search, ``app.questions.paths``, checks between its own steps).
Past the deadline they raise ``ComputeDeadlineExceeded`` (HTTP 503, saying so); nothing
half-computed is cached, and an answer past its deadline is never kept (``app.api.answers``).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableMapping
from contextvars import ContextVar
from typing import Any, TypeVar

from app.errors import ExplorerError

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]
G = TypeVar("G")
T = TypeVar("T")

CHECK_EVERY = 256  # neighbour visits between two looks at the clock in a watched graph


class ComputeDeadlineExceeded(ExplorerError):
    """A question computed past the request's deadline; answered 503."""

    status = 503

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"the question ran past the {seconds:g} s compute deadline and was stopped "
            "(ALLIANCE_COMPUTE_DEADLINE_SECONDS); ask a narrower one: fewer hops, fewer kinds, one year"
        )


class Deadline:
    """A point in time (monotonic clock) and the budget it was set from."""

    __slots__ = ("expires", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.expires:
            raise ComputeDeadlineExceeded(self.seconds)


_compute: ContextVar[Deadline | None] = ContextVar("compute_deadline", default=None)
_started: ContextVar[float | None] = ContextVar("request_started", default=None)


def current() -> Deadline | None:
    """The compute deadline of the request being served, if any."""
    return _compute.get()


def request_started() -> float | None:
    """When (monotonic clock) the request being served arrived, if any."""
    return _started.get()


def start(seconds: float | None) -> None:
    """Start the clocks of a request in the current context (the middleware does it per request)."""
    _started.set(time.monotonic())
    _compute.set(Deadline(seconds) if seconds and seconds > 0 else None)


def check() -> None:
    """Raise ``ComputeDeadlineExceeded`` if the current request's compute deadline has passed."""
    deadline = _compute.get()
    if deadline is not None:
        deadline.check()


def checked(items: Iterable[T], every: int = CHECK_EVERY) -> Iterator[T]:
    """``items`` one by one, the current request's deadline checked before the first and every
    ``every`` after it: a question's own loop over organs, edges or pairs, stoppable.

    >>> list(checked(range(3)))
    [0, 1, 2]
    """
    deadline = _compute.get()
    if deadline is None:
        yield from items
        return
    for i, item in enumerate(items):
        if not i % every:
            deadline.check()
        yield item


def levels(graph: Any, start: Any, backward: bool = False) -> dict[Any, int]:
    """Fewest hops from ``start`` to every node of the directed ``graph`` it reaches (``backward``:
    that reach it), breadth first, the deadline checked every ``CHECK_EVERY`` nodes expanded.

    The same dict, in the same order, as ``networkx.single_source_shortest_path_length`` (on the
    graph or its reverse), whose loop cannot be stopped.

    >>> import networkx as nx
    >>> g = nx.DiGraph([(1, 2), (2, 3), (1, 4)])
    >>> levels(g, 1) == dict(nx.single_source_shortest_path_length(g, 1)), levels(g, 3, backward=True)
    (True, {3: 0, 2: 1, 1: 2})
    """
    adjacency = graph.pred if backward else graph.adj
    found = {start: 0}
    frontier = [start]
    hops = expanded = 0
    deadline = _compute.get()
    while frontier:
        hops += 1
        following = []
        for node in frontier:
            expanded += 1
            if deadline is not None and not expanded % CHECK_EVERY:
                deadline.check()
            for neighbour in adjacency[node]:
                if neighbour not in found:
                    found[neighbour] = hops
                    following.append(neighbour)
        frontier = following
    return found


def watched(graph: G) -> G:
    """``graph`` itself outside a request; in one, a view of it that checks the deadline as it is walked.

    The view (``networkx.subgraph_view`` keeping every node) iterates nodes and neighbours in the
    graph's own order, so algorithms find the very same answers, ties included.
    """
    deadline = _compute.get()
    if deadline is None:
        return graph
    import networkx as nx

    calls = 0

    def keep(_: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls >= CHECK_EVERY:
            calls = 0
            deadline.check()
        return True

    view: G = nx.subgraph_view(graph, filter_node=keep)
    return view


class RequestDeadlines:
    """Pure ASGI middleware: starts a request's clocks (see the module docstring)."""

    def __init__(self, app: ASGIApp, compute_seconds: float | None = None) -> None:
        self.app = app
        self.compute_seconds = compute_seconds

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seconds = self.compute_seconds
            if seconds is None:
                from app.config import get_settings

                seconds = get_settings().alliance_compute_deadline_seconds
            start(seconds)
        await self.app(scope, receive, send)
