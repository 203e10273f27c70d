"""Data versions (CONTRACT.md §1 "Versions"): every answer carries the load checksum as its ETag,
If-None-Match gets a 304, and one answer rests on one version even when a load lands while it is
being computed. Also: bookmarks (a read after a load never predates it), READ routing, and the
embedded store's reload refused when several worker processes serve.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.config import Settings
from app.dataset import Dataset
from app.errors import StoreUnavailable
from app.main import app
from app.questions import compare, linkage
from app.seeds import load_seeds
from app.snapshot import SnapshotParams
from app.store.base import Store
from app.store.embedded import EmbeddedStore
from app.store.neo4j_checksum import dataset_checksum
from app.store.neo4j_load import META_ID, load
from app.store.neo4j_store import Neo4jStore
from tests.conftest import NEO4J_TEST_DATABASE, NEO4J_TEST_PASSWORD, NEO4J_TEST_URI, NEO4J_TEST_USER

REPO = Path(__file__).resolve().parent.parent
DB = NEO4J_TEST_DATABASE
VERSIONED = [
    "/alliances",
    "/alliances/nato",
    "/organs/nato.nac",
    "/organs?q=council",
    "/paths?source=nato.nac&target=nato.saceur&as_of=2009",
    "/linkage?alliance=us-rok&as_of=1985",
    "/compare",
    "/compare?format=csv",
    "/timeline?alliance=us-rok",
    "/export?alliance=us-rok&format=graphml",
    "/alliances/us-rok/diagram.svg?as_of=1985",
]


def renamed(dataset: Dataset, organ_id: str, name: str) -> Dataset:
    organs = dict(dataset.organs)
    organs[organ_id] = organs[organ_id].model_copy(update={"name": name})
    return Dataset(alliances=dict(dataset.alliances), organs=organs, edges=dict(dataset.edges))


def rename_in_seeds(seeds: Path, organ_id: str, old: str, new: str) -> None:
    """Rename one organ in a copy of the seed files (text edit of its own ``name:`` line)."""
    for path in seeds.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(rf"(- id: {re.escape(organ_id)}\n(?:[ \t]+.*\n)*?[ \t]+name: ){re.escape(old)}\n")
        changed, n = pattern.subn(lambda m: m.group(1) + new + "\n", text, count=1)
        if n:
            path.write_text(changed, encoding="utf-8")
            return
    raise AssertionError(f"{organ_id} named {old!r} not found in {seeds}")


@pytest.fixture()
def served(store: Store) -> Iterator[TestClient]:
    set_store(store)
    with TestClient(app) as c:
        yield c
    set_store(None)


# --------------------------------------------------------------------------------------------- ETag and 304


@pytest.mark.parametrize("url", VERSIONED)
def test_every_answer_carries_the_data_version_as_etag(served: TestClient, store: Store, url: str) -> None:
    r = served.get(url)
    assert r.status_code == 200
    assert r.headers["etag"] == f'"{store.version()}"'
    assert re.fullmatch(r'"[0-9a-f]{64}"', r.headers["etag"])


@pytest.mark.parametrize("url", ["/linkage?alliance=us-japan&as_of=2009", "/compare", "/organs/us-rok.cfc"])
def test_if_none_match_gets_a_304_without_body(served: TestClient, url: str) -> None:
    first = served.get(url)
    tag = first.headers["etag"]
    for condition in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        r = served.get(url, headers={"If-None-Match": condition})
        assert (r.status_code, r.content, r.headers["etag"]) == (304, b"", tag), condition
        assert "content-length" not in r.headers or r.headers["content-length"] == "0"
    again = served.get(url, headers={"If-None-Match": '"' + "0" * 64 + '"'})
    assert again.status_code == 200 and again.content == first.content and again.headers["etag"] == tag


def test_errors_and_health_carry_no_version(served: TestClient) -> None:
    for url in ("/organs/nato.nope", "/linkage?alliance=nato&as_of=1000", "/no-such-endpoint"):
        r = served.get(url, headers={"If-None-Match": "*"})
        assert r.status_code in (404, 422) and "etag" not in r.headers, url
    health = served.get("/health", headers={"If-None-Match": "*"})
    assert health.status_code == 200 and "etag" not in health.headers


def test_both_stores_name_the_same_data_with_the_same_version(
    embedded: EmbeddedStore, neo4j_store: Neo4jStore, neo4j_loaded: dict[str, Any]
) -> None:
    """The embedded store's version is the checksum a pruned load of its seeds writes into Neo4j."""
    assert embedded.version() == dataset_checksum(embedded.dataset) == neo4j_loaded["checksum"]
    assert neo4j_store.version() == neo4j_loaded["checksum"]


def test_a_reload_changes_the_version_and_the_304_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    own = EmbeddedStore(load_seeds())
    set_store(own)
    monkeypatch.setenv("ALLIANCE_API_KEY", "s3cret-key")
    monkeypatch.setenv("ALLIANCE_SEEDS_DIR", str(seeds))
    try:
        with TestClient(app) as c:
            before = c.get("/organs/nato.nac")
            rename_in_seeds(seeds, "nato.nac", "North Atlantic Council", "Council Renamed")
            assert c.post("/admin/reload", headers={"X-API-Key": "s3cret-key"}).status_code == 200
            after = c.get("/organs/nato.nac", headers={"If-None-Match": before.headers["etag"]})
    finally:
        set_store(None)
    assert after.status_code == 200 and after.json()["name"] == "Council Renamed"
    assert after.headers["etag"] == f'"{dataset_checksum(load_seeds(seeds))}"' != before.headers["etag"]


# --------------------------------------------------------------------------------------------- one answer, one version


def test_embedded_pinned_view_keeps_its_version_across_a_reload() -> None:
    own = EmbeddedStore(load_seeds())
    old = own.version()
    view = own.pinned()
    own.replace(renamed(own.dataset, "nato.nac", "Council Renamed"))
    params = SnapshotParams("nato", 2009)
    # The view answers every question of the data it was taken at, snapshots not cut yet included.
    assert (view.version(), view.organ("nato.nac").name) == (old, "North Atlantic Council")
    assert view.snapshot(params).organ("nato.nac").name == "North Atlantic Council"
    assert own.version() != old and own.snapshot(params).organ("nato.nac").name == "Council Renamed"
    assert own.pinned().organ("nato.nac").name == "Council Renamed"


@pytest.fixture()
def restore_seeds(neo4j_driver: Any, embedded: EmbeddedStore, neo4j_store: Neo4jStore) -> Iterator[None]:
    yield
    neo4j_store.follow(load(neo4j_driver, embedded.dataset, database=DB, prune=True)["bookmarks"])


def test_neo4j_pinned_view_answers_its_version_after_a_load_lands(
    neo4j_driver: Any, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """A load landing mid-answer: the view's snapshots not yet cut come from its own models, not the new load."""
    store = Neo4jStore(neo4j_driver, DB, NEO4J_TEST_URI, meta_ttl=0.0)
    view = store.pinned()
    assert view.version() == embedded.version()
    counts = load(neo4j_driver, renamed(embedded.dataset, "nato.nac", "Council Renamed"), database=DB, prune=True)
    store.follow(counts["bookmarks"])
    for alliance in ("nato", "us-rok", "us-japan"):
        params = SnapshotParams(alliance, 2009)
        assert view.snapshot(params).organs() == embedded.snapshot(params).organs()
        assert linkage(view.snapshot(params)) == linkage(embedded.snapshot(params))
    assert compare(view) == compare(embedded)
    assert view.version() == embedded.version() != store.version() == counts["checksum"]
    assert store.snapshot(SnapshotParams("nato", 2009)).organ("nato.nac").name == "Council Renamed"


# --------------------------------------------------------------------------------------------- bookmarks and routing


def test_a_load_returns_its_bookmarks_and_the_store_reads_after_them(
    neo4j_driver: Any, embedded: EmbeddedStore
) -> None:
    counts = load(neo4j_driver, embedded.dataset, database=DB, prune=True)
    assert counts["bookmarks"] and all(isinstance(b, str) and b for b in counts["bookmarks"])
    store = Neo4jStore(neo4j_driver, DB, NEO4J_TEST_URI)
    store.follow(counts["bookmarks"])
    assert set(counts["bookmarks"]) <= set(store.bookmark_manager.get_bookmarks())
    assert store.version() == counts["checksum"]


def test_the_store_sends_the_bookmarks_it_follows(neo4j_driver: Any) -> None:
    """A bookmark the server never issued is refused by the server: proof the store's reads carry them."""
    store = Neo4jStore(neo4j_driver, DB, NEO4J_TEST_URI)
    store.follow(["FB:not-a-real-bookmark"])
    with pytest.raises(StoreUnavailable) as refused:
        store.organs()
    assert "InvalidBookmark" in (refused.value.detail or "")  # the driver's reason, kept apart


def test_replace_reads_after_its_own_load(neo4j_driver: Any, embedded: EmbeddedStore, restore_seeds: None) -> None:
    store = Neo4jStore(neo4j_driver, DB, NEO4J_TEST_URI)
    assert store.organ("nato.nac").name == "North Atlantic Council"
    before = set(store.bookmark_manager.get_bookmarks())
    counts = store.replace(renamed(embedded.dataset, "nato.nac", "Council Renamed"))
    assert "bookmarks" not in counts  # the reload route's answer stays as it was
    assert set(store.bookmark_manager.get_bookmarks()) != before
    assert store.organ("nato.nac").name == "Council Renamed"


def test_reads_run_in_read_transactions(neo4j_store: Neo4jStore) -> None:
    """Reads run in READ-mode transactions (what neo4j:// routes to a reader): a write in one is refused."""
    with pytest.raises(StoreUnavailable) as refused:
        neo4j_store._read(lambda tx: tx.run("MERGE (m:Meta {id: $id}) SET m.probe = 1", id=META_ID).consume())
    assert "read access mode" in (refused.value.detail or "")


def test_routing_uri_store_pins_and_tags_like_bolt(embedded: EmbeddedStore, neo4j_loaded: Any) -> None:
    uri = re.sub(r"^bolt", "neo4j", NEO4J_TEST_URI)
    store = Neo4jStore.from_settings(
        Settings(neo4j_uri=uri, neo4j_user=NEO4J_TEST_USER, neo4j_password=NEO4J_TEST_PASSWORD, neo4j_database=DB)
    )
    set_store(store)
    try:
        with TestClient(app) as c:
            r = c.get("/linkage?alliance=nato&as_of=2009")
    finally:
        set_store(None)
        store.close()
    assert r.headers["etag"] == f'"{embedded.version()}"'


# ------------------------------------------------------------------------------ embedded, several workers


def test_embedded_reload_with_several_workers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker holds its own embedded store; a reload would reach one: refused with what to do instead."""
    own = EmbeddedStore(load_seeds())
    before = own.version()
    set_store(own)
    monkeypatch.setenv("ALLIANCE_API_KEY", "s3cret-key")
    monkeypatch.setenv("ALLIANCE_WORKERS", "2")
    try:
        with TestClient(app) as c:
            refused = c.post("/admin/reload", headers={"X-API-Key": "s3cret-key"})
            unauthenticated = c.post("/admin/reload")
    finally:
        set_store(None)
    assert refused.status_code == 409 and refused.json()["workers"] == 2
    message = refused.json()["error"]
    assert "2 worker processes" in message and "Restart" in message and "NEO4J_URI" in message
    assert unauthenticated.status_code == 401  # the refusal tells nothing to a caller without the key
    assert own.version() == before
