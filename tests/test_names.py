"""Organs and alliances named as the paper names them (CONTRACT.md §2): "Ids are matched exactly;
an acronym, alias or case variant that names exactly one organ or alliance is accepted too, and an
ambiguous one is a 422 listing the candidates." Every parameter that takes an id, on both stores."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.errors import AmbiguousId, UnknownId
from app.store.base import Store


@pytest.mark.parametrize(
    ("text", "organ_id"),
    [
        ("nato.nac", "nato.nac"),  # the id itself
        ("NAC", "nato.nac"),  # "the NAC is the highest decision making body within NATO"
        ("nac", "nato.nac"),  # any case
        ("Nato.NAC", "nato.nac"),  # a case variant of the id
        ("MC", "nato.mc"),  # not MCM: an acronym is matched whole
        ("MCM", "us-rok.mcm"),
        ("SACEUR", "nato.saceur"),
        ("SDF", "japan.jsdf"),  # an alias: "Japanese Self-Defense Force (JSDF)", also "SDF"
        ("two-plus-two", "us-japan.scc"),
        ("Combined Forces Command", "us-rok.cfc"),  # CFC's name; only an alias of its commander
        ("  north   atlantic council ", "nato.nac"),  # spaces as typed
    ],
)
def test_resolve_organ(store: Store, text: str, organ_id: str) -> None:
    assert store.resolve_organ(text, "source") == organ_id


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("President", ["rok.president", "us.president"]),
        ("JFC", ["nato.jfc-brussel", "nato.jfc-naples", "us.jfcom"]),
        ("Commander", ["us-rok.commander-cfc", "us-rok.commander-unc"]),
        ("U.S. forces", ["us.forces-japan", "us.forces-korea"]),
    ],
)
def test_ambiguous_organ_names_its_candidates(store: Store, text: str, candidates: list[str]) -> None:
    with pytest.raises(AmbiguousId) as caught:
        store.resolve_organ(text, "target")
    assert [c["id"] for c in caught.value.candidates] == candidates
    assert caught.value.parameter == "target" and caught.value.status == 422


@pytest.mark.parametrize(
    ("text", "alliance_id"),
    [
        ("NATO", "nato"),
        ("nato", "nato"),
        ("ROK", "us-rok"),
        ("Korea", "us-rok"),
        ("japan", "us-japan"),
        ("US-ROK", "us-rok"),
        ("Philippines", "us-philippines"),
    ],
)
def test_resolve_alliance(store: Store, text: str, alliance_id: str) -> None:
    assert store.resolve_alliance(text) == alliance_id


def test_unknown_names_get_suggestions_from_names_and_aliases(store: Store) -> None:
    with pytest.raises(UnknownId) as caught:
        store.resolve_organ("korea", "source")
    assert "us.forces-korea" in caught.value.close_matches  # alias "U.S. forces in Korea"
    with pytest.raises(UnknownId) as caught:
        store.resolve_alliance("us-korea")
    assert caught.value.close_matches[0] == "us-rok"


# --------------------------------------------------------------------------------- through HTTP


def test_paths_by_acronym(client: TestClient) -> None:
    r = client.get("/paths", params={"source": "NAC", "target": "saceur", "as_of": 2009})
    assert r.status_code == 200
    body = r.json()
    assert (body["source"], body["target"], body["connected"]) == ("nato.nac", "nato.saceur", True)


def test_ambiguous_is_422_listing_candidates(client: TestClient) -> None:
    r = client.get("/paths", params={"source": "President", "target": "nato.saceur"})
    assert r.status_code == 422
    body = r.json()
    assert body["parameter"] == "source" and body["id"] == "President"
    assert [c["id"] for c in body["candidates"]] == ["rok.president", "us.president"]
    assert "rok.president" in body["error"] and "us.president" in body["error"]


def test_unknown_is_404_naming_the_parameter(client: TestClient) -> None:
    r = client.get("/paths", params={"source": "nato.nac", "target": "korea"})
    assert r.status_code == 404
    body = r.json()
    assert body["parameter"] == "target" and "us.forces-korea" in body["close_matches"]


@pytest.mark.parametrize(
    ("url", "params", "check"),
    [
        ("/linkage", {"alliance": "NATO", "as_of": 2009}, lambda b: b["alliance"] == "nato" and b["linked"]),
        ("/linkage", {"alliance": "nato", "exclude": "MC", "as_of": 2009}, lambda b: b["exclude"] == ["nato.mc"]),
        ("/centrality", {"alliance": "Korea", "as_of": 2009}, lambda b: b["alliance"] == "us-rok"),
        ("/alliances/NATO", {}, lambda b: b["id"] == "nato"),
        ("/alliances/ROK/organs", {"as_of": 1985}, lambda b: "us-rok.cfc" in {o["id"] for o in b}),
        ("/organs/SACEUR", {}, lambda b: b["id"] == "nato.saceur" and b["edges_in"]),
        ("/organs", {"alliance": "NATO", "q": "council"}, lambda b: "nato.nac" in {o["id"] for o in b}),
        ("/timeline", {"alliance": "ROK"}, lambda b: b["alliance"] == "us-rok"),
        ("/diff", {"alliance": "ROK", "from": 1975, "to": 1985}, lambda b: b["alliance"] == "us-rok"),
        ("/compare", {"alliances": "NATO,Japan"}, lambda b: [r["alliance"] for r in b["rows"]] == ["nato", "us-japan"]),
        ("/export", {"alliance": "Japan", "as_of": 2009}, lambda b: "us-japan.scc" in str(b)),
    ],
)
def test_every_id_parameter_takes_names(client: TestClient, url: str, params: dict, check: object) -> None:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    assert check(r.json())  # type: ignore[operator]


def test_diagram_highlight_takes_acronyms(client: TestClient) -> None:
    r = client.get("/alliances/NATO/diagram.svg", params={"as_of": 2009, "highlight": "path:NAC,SACEUR"})
    assert r.status_code == 200 and r.text.startswith("<svg")
    r = client.get("/alliances/nato/diagram.svg", params={"as_of": 2009, "highlight": "President"})
    assert r.status_code == 422 and r.json()["parameter"] == "highlight"


def test_an_empty_name_is_unknown_not_a_server_error(client: TestClient) -> None:
    r = client.get("/paths", params={"source": "", "target": "nato.nac"})
    assert r.status_code == 404 and r.json()["parameter"] == "source"
