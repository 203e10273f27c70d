"""Answers computed once, and caches bounded by memory.

The question routes' answers are kept as bytes per (route, query, data version, scenario set): a
repeated question gets the very same answer, a reload changes every answer at once, a different
parameter (any parameter, whatever its name) is a different answer, another scenario file under the
same id is another answer, and errors are never kept. The snapshot and answer caches are bounded by
bytes, so 2,000 distinct questions cannot grow the process past them (CONTRACT issue 16, item 5).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.answers import AnswerCache
from app.api.deps import set_store
from app.dataset import Dataset
from app.main import create_app
from app.questions import linkage
from app.snapshot import ALL_KINDS, SnapshotParams
from app.store.embedded import EmbeddedStore
from graph_schema.vocabulary import Condition, EdgeKind, Existence

LINKAGE_NATO = "/linkage?alliance=nato&as_of=2009"
PATHS_NAC_SACEUR = "/paths?source=nato.nac&target=nato.saceur&as_of=2009"


def renamed(dataset: Dataset, organ_id: str, name: str) -> Dataset:
    organs = dict(dataset.organs)
    organs[organ_id] = organs[organ_id].model_copy(update={"name": name})
    return Dataset(alliances=dict(dataset.alliances), organs=organs, edges=dict(dataset.edges))


def answer_cache(app: Any) -> AnswerCache:
    """The app's AnswerCache middleware instance (built with the middleware stack)."""
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, AnswerCache):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, AnswerCache)
    return layer


@pytest.fixture()
def own(embedded: EmbeddedStore) -> Iterator[tuple[TestClient, EmbeddedStore]]:
    """A fresh app (fresh answer cache) over a store of its own, which the test may reload."""
    store = EmbeddedStore(embedded.dataset)
    set_store(store)
    try:
        with TestClient(create_app()) as client:
            yield client, store
    finally:
        set_store(None)


def test_a_repeated_question_gets_the_same_bytes_from_the_cache(own: tuple[TestClient, EmbeddedStore]) -> None:
    """'the North Atlantic Council ... the Military Committee': the NAC reaches SACEUR, asked twice."""
    client, _ = own
    first = client.get(PATHS_NAC_SACEUR)
    cache = answer_cache(client.app)
    hits = cache.hits
    again = client.get(PATHS_NAC_SACEUR)
    reordered = client.get("/paths?as_of=2009&target=nato.saceur&source=nato.nac")
    assert first.status_code == again.status_code == reordered.status_code == 200
    assert first.content == again.content == reordered.content and first.json()["connected"] is True
    assert cache.hits == hits + 2
    assert again.headers["content-type"] == first.headers["content-type"]
    assert "content-security-policy" in again.headers  # outer middleware still applies to replays


def test_every_parameter_is_part_of_the_key(own: tuple[TestClient, EmbeddedStore]) -> None:
    """limit, format, kinds: none is listed anywhere in the cache, each changes the answer."""
    client, _ = own
    full = client.get(PATHS_NAC_SACEUR + "&kinds=" + ",".join(EdgeKind)).json()
    one = client.get(PATHS_NAC_SACEUR + "&kinds=" + ",".join(EdgeKind) + "&limit=1").json()
    assert len(full["paths"]) > 1 and len(one["paths"]) == 1
    csv = client.get(LINKAGE_NATO + "&format=csv")
    assert csv.headers["content-type"].startswith("text/csv") and client.get(LINKAGE_NATO).json()["linked"] is True


def test_a_reload_changes_every_cached_answer_at_once(own: tuple[TestClient, EmbeddedStore]) -> None:
    client, store = own
    before = [client.get(q).text for q in (LINKAGE_NATO, PATHS_NAC_SACEUR)]
    assert all("North Atlantic Council" in text for text in before)
    store.replace(renamed(store.dataset, "nato.nac", "Renamed Council"))  # what POST /admin/reload does
    after = [client.get(q).text for q in (LINKAGE_NATO, PATHS_NAC_SACEUR)]
    assert all("Renamed Council" in text and "North Atlantic Council" not in text for text in after)


def test_two_stores_never_share_an_answer(own: tuple[TestClient, EmbeddedStore]) -> None:
    client, store = own
    assert "North Atlantic Council" in client.get(LINKAGE_NATO).text
    set_store(EmbeddedStore(renamed(store.dataset, "nato.nac", "Other Council")))
    assert "Other Council" in client.get(LINKAGE_NATO).text


def test_errors_are_not_kept(own: tuple[TestClient, EmbeddedStore]) -> None:
    client, _ = own
    cache = answer_cache(client.app) if client.get("/health").status_code == 200 else None
    assert cache is not None
    held = len(cache.answers)
    assert client.get("/paths?source=nato.nope&target=nato.saceur").status_code == 404
    assert client.get("/linkage?alliance=nato&as_of=3000").status_code == 422
    assert len(cache.answers) == held


def test_the_answer_cache_stays_within_its_bound(embedded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_ANSWER_CACHE_MB", "0.05")  # about 50 kB: a handful of answers
    set_store(EmbeddedStore(embedded.dataset))
    try:
        with TestClient(create_app()) as client:
            for year in range(1990, 2010):
                assert client.get(f"/linkage?alliance=nato&as_of={year}").status_code == 200
            cache = answer_cache(client.app)
            assert 0 < cache.answers.nbytes <= 0.05 * 2**20 and 0 < len(cache.answers) < 20
    finally:
        set_store(None)


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def test_2000_distinct_snapshots_keep_resident_memory_under_the_bound(embedded: EmbeddedStore) -> None:
    """Each snapshot is asked for with its traversal graph built, as a question does; the cache keeps
    the most recent ones up to its bound in bytes, and the process grows by no more than that (plus
    allocator slack). Unbounded, the same requests hold tens of MiB at seed scale."""
    bound = 4 * 2**20
    store = EmbeddedStore(embedded.dataset, snapshot_cache_bytes=bound)
    alliances = [None, *embedded.dataset.alliances]
    params = [
        SnapshotParams(alliance=a, as_of=year, condition=c, include_planned=planned, existence=existence)
        for planned in (False, True)
        for existence in Existence
        for year in range(1950, 2010)
        for a in alliances
        for c in (None, Condition.ARMISTICE, Condition.WARTIME)
    ][:2000]
    assert len(set(params)) == 2000
    gc.collect()
    before = rss_mib()
    for i, p in enumerate(params):
        snap = store.snapshot(p)
        snap.traversal(ALL_KINDS)
        if p.alliance is not None and i % 10 == 0:
            linkage(snap)
    gc.collect()
    grown = rss_mib() - before
    cache = store._state.snapshots
    assert cache.nbytes <= bound and 0 < len(cache) < 2000
    assert grown < 2 * bound / 2**20, f"resident memory grew {grown:.1f} MiB for a {bound / 2**20:.0f} MiB bound"


def test_a_replayed_answer_carries_its_etag_and_answers_if_none_match(own: tuple[TestClient, EmbeddedStore]) -> None:
    client, store = own
    first = client.get(LINKAGE_NATO)
    replay = client.get(LINKAGE_NATO)
    assert replay.headers["etag"] == first.headers["etag"] == f'"{store.version()}"'
    hits = answer_cache(client.app).hits
    again = client.get(LINKAGE_NATO, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and answer_cache(client.app).hits == hits + 1


def test_another_scenario_set_under_the_same_id_is_another_answer(own: tuple[TestClient, EmbeddedStore]) -> None:
    """The shipped rok-post-2012-linkage links the SCM to the forces after 2012; the same id with the
    proposal's edges dropped must not be answered from the shipped file's cached answer."""
    client, store = own
    question = "/linkage?alliance=us-rok&as_of=2013&include_planned=true&scenario=rok-post-2012-linkage"
    shipped = client.get(question).json()
    scenario = store.scenario("rok-post-2012-linkage")
    emptied = scenario.model_copy(update={"add_edges": [], "add_organs": [], "change_edges": []})
    store.set_scenarios({**store.scenarios(), scenario.id: emptied})
    other = client.get(question).json()
    assert shipped["linked"] is True and other["linked"] is False


def test_orjson_answers_hold_the_json_modules_values(own: tuple[TestClient, EmbeddedStore]) -> None:
    """The fast serialiser must not change an answer: every question's body parses to what the json
    module writes for the same data (floats of centrality included)."""
    import json

    from starlette.responses import JSONResponse

    from app.api.render import AnswerJSON
    from app.questions import centrality, compare, paths

    _, store = own
    snap = store.snapshot(SnapshotParams(alliance="nato", as_of=2009))
    answers = [
        linkage(snap),
        paths(snap, "nato.nac", "nato.saceur", ALL_KINDS),
        centrality(snap, "closeness", ALL_KINDS),
        compare(store, ["nato", "us-rok", "us-japan"], 2009),
    ]
    for data in answers:
        fast, slow = bytes(AnswerJSON(data).body), bytes(JSONResponse(data).body)
        assert json.loads(fast) == json.loads(slow)


def test_an_entry_larger_than_the_bound_is_kept_while_it_is_the_newest() -> None:
    """A 100k-organ snapshot outweighs the default bound: dropping it would make every question
    about it build it again. It stays while newest; the next entry pushes it out."""
    from app.cache import ByteLRU

    cache: ByteLRU[str, bytes] = ByteLRU(100, len)
    cache.put("small", b"x" * 40)
    cache.put("huge", b"x" * 500)
    assert cache.get("huge") is not None and cache.get("small") is None and cache.nbytes == 500
    cache.put("next", b"x" * 10)
    assert cache.get("huge") is None and cache.get("next") is not None and cache.nbytes == 10
    off: ByteLRU[str, bytes] = ByteLRU(0, len)
    off.put("any", b"x")
    assert off.get("any") is None and len(off) == 0
