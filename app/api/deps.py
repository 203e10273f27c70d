"""The store the API serves from, handed to routes as a dependency (tests can swap it)."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from app.config import Settings, get_settings
from app.store.base import Store
from app.store.embedded import EmbeddedStore

_lock = threading.Lock()
_store: Store | None = None


@lru_cache(maxsize=1)
def default_store() -> EmbeddedStore:
    """The embedded store over the default seeds, loaded once per process."""
    settings = get_settings()
    return EmbeddedStore.from_seeds(
        settings.alliance_seeds_dir, settings.alliance_paper, int(settings.alliance_snapshot_cache_mb * 2**20)
    )


def make_store(settings: Settings) -> Store:
    """Neo4j when ``NEO4J_URI`` is set, else the embedded store."""
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


async def store_dependency() -> Store:
    """``get_store`` for routes, resolved on the event loop.

    A plain ``def`` dependency is run in the threadpool: a second thread hop per request on top of
    the route's own, a real share of a seed-scale question's time (``python -m bench``). ``get_store``
    holds its lock only to read a reference, so it cannot stall the loop, except on the very first
    request, which builds the store.
    """
    return get_store()


StoreDep = Annotated[Store, Depends(store_dependency)]
