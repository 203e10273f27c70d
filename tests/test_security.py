"""Reliability and security of the API: read-only, key-guarded reload, headers, CORS, hostile input."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app, create_app
from app.seeds import load_seeds
from app.store.base import Store
from app.store.embedded import EmbeddedStore

REPO = Path(__file__).resolve().parent.parent

INJECTIONS = [
    "nato.nac' OR 1=1 //",
    "x}) MATCH (n) DETACH DELETE n //",
    "'; CALL dbms.killQueries([]) //",
    "nato.nac` RETURN 1 UNION MATCH (n) RETURN n //",
    "\\u0027 OR \\u0027\\u0027=\\u0027",
    "${jndi:ldap://127.0.0.1/a}",
    "<script>alert(1)</script>",
    "🛡️北大西洋条約機構",
    "\u202enato",
    "a" * 5000,
]


def checksum(store: Store) -> str:
    """A content checksum of everything the store holds."""
    payload = {
        "alliances": {k: v.model_dump(mode="json") for k, v in sorted(store.alliances().items())},
        "organs": {k: v.model_dump(mode="json") for k, v in sorted(store.organs().items())},
        "edges": {k: v.model_dump(mode="json") for k, v in sorted(store.edges().items())},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def test_every_route_is_read_only(client: TestClient) -> None:
    """No route writes: GET routes refuse other methods (405), and only /admin/reload takes a POST."""
    for route in app.routes:
        methods = getattr(route, "methods", set()) or set()
        path = getattr(route, "path", "")
        if path == "/admin/reload":
            assert methods == {"POST"}
        elif methods:
            assert methods <= {"GET", "HEAD"}, path
    assert client.post("/alliances").status_code == 405
    assert client.delete("/organs/nato.nac").status_code == 405


def test_security_headers(client: TestClient) -> None:
    r = client.get("/health")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_cors_closed_unless_configured(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    r = client.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers
    monkeypatch.setenv("CORS_ORIGINS", "https://analyst.example")
    with TestClient(create_app()) as open_client:
        ok = open_client.get("/health", headers={"Origin": "https://analyst.example"})
        other = open_client.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert ok.headers["access-control-allow-origin"] == "https://analyst.example"
    assert "access-control-allow-origin" not in other.headers


@pytest.fixture()
def own_store() -> Iterator[EmbeddedStore]:
    """A store of its own, so reloading it cannot disturb the other tests."""
    store = EmbeddedStore(load_seeds())
    set_store(store)
    yield store
    set_store(None)


def test_reload_off_without_key(own_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLIANCE_API_KEY", raising=False)
    with TestClient(app) as c:
        assert c.post("/admin/reload", headers={"X-API-Key": "anything"}).status_code == 404


def test_reload_needs_the_key(own_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_API_KEY", "s3cret-key")
    with TestClient(app) as c:
        assert c.post("/admin/reload").status_code == 401
        assert c.post("/admin/reload", headers={"X-API-Key": "s3cret-kex"}).status_code == 401
        ok = c.post("/admin/reload", headers={"X-API-Key": "s3cret-key"})
    assert ok.status_code == 200 and ok.json()["reloaded"] is True


def test_reload_of_broken_seeds_changes_nothing(
    own_store: EmbeddedStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bad input gets a clear error and loses nothing: the store keeps its data."""
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    broken = (seeds / "us-rok.yaml").read_text(encoding="utf-8").replace("kind: authority", "kind: authoritee", 1)
    (seeds / "us-rok.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_API_KEY", "s3cret-key")
    monkeypatch.setenv("ALLIANCE_SEEDS_DIR", str(seeds))
    before = checksum(own_store)
    with TestClient(app) as c:
        r = c.post("/admin/reload", headers={"X-API-Key": "s3cret-key"})
    assert r.status_code == 422 and any("us-rok.yaml" in p for p in r.json()["problems"])
    assert checksum(own_store) == before


@pytest.mark.parametrize("value", INJECTIONS)
def test_hostile_strings_in_every_string_parameter(client: TestClient, store: Store, value: str) -> None:
    """Injection strings, unicode and very long values get a clear 4xx (or an empty answer), never a 5xx,
    and the data is unchanged."""
    before = checksum(store)
    urls = [
        ("/organs/{}", {}),
        ("/alliances/{}", {}),
        ("/alliances/{}/organs", {}),
        ("/organs", {"q": "{}"}),
        ("/organs", {"alliance": "{}"}),
        ("/paths", {"source": "{}", "target": "nato.nac"}),
        ("/paths", {"source": "nato.nac", "target": "nato.mc", "kinds": "{}"}),
        ("/linkage", {"alliance": "{}"}),
        ("/linkage", {"alliance": "nato", "condition": "{}"}),
        ("/linkage", {"alliance": "nato", "exclude": "{}"}),
        ("/centrality", {"alliance": "nato", "metric": "{}"}),
        ("/compare", {"alliances": "{}"}),
        ("/timeline", {"alliance": "{}"}),
        ("/export", {"alliance": "{}"}),
    ]
    for path, params in urls:
        url = path.format(value.replace("/", "%2F")) if "{}" in path else path
        query = {k: v.format(value) if v == "{}" else v for k, v in params.items()}
        r = client.get(url, params=query)
        assert r.status_code < 500, (url, query, r.status_code)
        if r.status_code >= 400:
            assert "error" in r.json(), (url, query)
        elif path == "/organs":
            assert isinstance(r.json(), list)
    assert checksum(store) == before


@pytest.mark.parametrize("as_of", [-1, 0, 1899, 2101, 99999, 10**30])
def test_odd_years_are_422(client: TestClient, as_of: int) -> None:
    r = client.get("/linkage", params={"alliance": "nato", "as_of": as_of})
    assert r.status_code == 422 and r.json()["parameter"] == "as_of"


def test_far_future_and_distant_past_are_answered(client: TestClient) -> None:
    """Years inside the accepted range but outside the data answer plainly: in 1900 no NATO organ is alive (nothing
    appears before its alliance's first treaty year), only national organs whose start the paper does not give,
    each only possible (CONTRACT.md §1)."""
    organs = client.get("/alliances/nato/organs", params={"as_of": 1900}).json()
    assert all(o["alliance"] is None and o["existence"] == "possible" for o in organs)
    assert client.get("/linkage", params={"alliance": "nato", "as_of": 2100}).json()["linked"] is True


def test_path_explosion_is_capped(client: TestClient) -> None:
    assert client.get("/paths?source=nato.nac&target=nato.mc&max_hops=1000").status_code == 422
    assert client.get("/paths?source=nato.nac&target=nato.mc&limit=100000").status_code == 422
    many = ",".join(["nato.mc"] * 51)
    r = client.get("/linkage", params={"alliance": "nato", "exclude": many})
    assert r.status_code == 422 and r.json()["parameter"] == "exclude"


def test_server_refuses_to_start_on_invalid_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same checks as `alliances validate` run at start-up: invalid seeds stop the app before it serves."""
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    (seeds / "nato.yaml").write_text(
        (seeds / "nato.yaml").read_text(encoding="utf-8").replace("kind: authority", "kind: command", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("ALLIANCE_SEEDS_DIR", str(seeds))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    set_store(None)
    from app.api.deps import default_store
    from app.defaults import default_dataset

    default_store.cache_clear()
    default_dataset.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="seeds are invalid"), TestClient(create_app()):
            pass
    finally:
        default_store.cache_clear()
        default_dataset.cache_clear()
        set_store(None)
