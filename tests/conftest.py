"""Shared fixtures: the stores the suite runs against, and HTTP clients over the real app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.deps import default_store, set_store
from app.main import app
from app.store.base import Store


@pytest.fixture(scope="session")
def embedded() -> Store:
    return default_store()


@pytest.fixture(scope="session")
def store(embedded: Store) -> Store:
    """The store the facts are checked against."""
    return embedded


@pytest.fixture()
def client(store: Store) -> Iterator[TestClient]:
    """The real FastAPI app over the real HTTP stack (ASGI), serving from ``store``."""
    set_store(store)
    with TestClient(app) as c:
        yield c
    set_store(None)
