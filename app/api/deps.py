"""The store the API serves from, handed to routes as a dependency (tests can swap it)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings, get_settings
from app.defaults import default_dataset
from app.errors import StoreUnavailable
from app.store.base import Store, set_scenario_cache_bytes
from app.store.embedded import EmbeddedStore

_lock = threading.Lock()
_store: Store | None = None


@lru_cache(maxsize=1)
def default_store() -> EmbeddedStore:
    """The embedded store over the default seeds (``app.defaults.default_dataset``), built once per process."""
    settings = get_settings()
    store = EmbeddedStore(default_dataset())
    store.set_snapshot_cache_bytes(int(settings.alliance_snapshot_cache_mb * 2**20))
    return store


def make_store(settings: Settings) -> Store:
    """Neo4j when ``NEO4J_URI`` is set, else the embedded store."""
    # Scenario snapshots (each with its own overlay graph) get a quarter of the snapshot bound.
    set_scenario_cache_bytes(int(settings.alliance_snapshot_cache_mb * 2**20 / 4))
    if settings.neo4j_uri:
        from app.store.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    return default_store()


def set_store(store: Store | None) -> None:
    global _store
    with _lock:
        _store = store


def get_store() -> Store:
    global _store
    with _lock:
        if _store is None:
            _store = make_store(get_settings())
        return _store


async def store_dependency(request: Request) -> Store:
    """The store for one request, pinned at one data version (``Store.pinned``), resolved on the
    event loop; the version is handed to ``app.api.versions`` for the answer's ``ETag``.

    A plain ``def`` dependency is run in the threadpool: a second thread hop per request on top of
    the route's own, a real share of a seed-scale question's time (``python -m bench``). ``get_store``
    holds its lock only to read a reference, and pinning a fresh cache needs no I/O, so neither can
    stall the loop; only when the Neo4j store must re-check its load checksum (once a second) is
    the pin taken in a thread.
    """
    from app.api.answers import pin
    from app.api.versions import record_version

    try:
        view = await pin(request.scope, get_store)
    except StoreUnavailable:
        # The route meets the same failure and answers it (a 503, or /health's own report).
        return get_store()
    record_version(request.scope, view.version())
    return view


StoreDep = Annotated[Store, Depends(store_dependency)]


async def unpinned_store() -> Store:
    """The store itself, not pinned: for ``/health``, which must answer without the thread pool
    (pinning may wait on a thread) and reports the store's state rather than a data version."""
    return get_store()


UnpinnedStoreDep = Annotated[Store, Depends(unpinned_store)]
