"""An analyst's source folder, loaded and refused like seeds (CONTRACT.md §2 "Sources", docs/sources.md).

A folder holds ``source.yaml`` (the record), the document's text and claims files in the seed
vocabulary. The shipped example (``examples/sources/tour-note``) is an invented note for the tour;
the malformed folders are written here for the test. Every problem is named with its file, line and
field, all in one run, and nothing is loaded unless all are clean.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from app.problems import SeedError
from app.seeds import load_seeds
from graph_schema.vocabulary import PAPER_ID, SourceKind

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "sources"
NOTE = "The note says the SCM met again in 2015, and that it is the author's reading."
RECORD = """id: my-note
kind: analyst
title: "A test note, written for this test"
authors: [A. Tester]
date: 2026-01
citation: "Written for tests/test_sources_load.py"
text: note.txt
"""


def folder(tmp: Path, claims: str, text: str = NOTE, record: str = RECORD, name: str = "my-note") -> Path:
    """A source folder under ``tmp/sources`` with the record, the text and one claims file."""
    root = tmp / "sources" / name
    root.mkdir(parents=True)
    (root / "source.yaml").write_text(record, encoding="utf-8")
    (root / "note.txt").write_text(text, encoding="utf-8")
    (root / "claims.yaml").write_text(claims, encoding="utf-8")
    return tmp / "sources"


def problems(sources: Path) -> list[str]:
    with pytest.raises(SeedError) as err:
        load_seeds(sources_dirs=[sources])
    return [str(p) for p in err.value.problems]


def test_the_seeds_alone_are_the_papers_claims() -> None:
    """With no source folder every organ and edge is one claim of ``finnegan-2009``, every quote and
    attested year stamped with it; its present tense attests its date's year (February 2009). The other
    shipped source, ``atop-5.1`` (CONTRACT.md §2: a dataset of treaty codings), claims no organ or edge."""
    data = load_seeds()
    assert list(data.sources) == [PAPER_ID, "atop-5.1"] and data.sources[PAPER_ID].present_year == 2009
    nac = data.organs["nato.nac"]
    assert [c.source_id for c in nac.claims] == [PAPER_ID] and nac.claims[0].life is nac.life
    assert {a.source_id for a in nac.life.attested} == {PAPER_ID}
    assert all(c.source_id == PAPER_ID for e in data.edges.values() for c in e.claims)


def test_the_example_note_is_the_analysts_claim_beside_the_papers() -> None:
    data = load_seeds(sources_dirs=[EXAMPLE])
    note = data.sources["tour-note"]
    assert note.kind is SourceKind.ANALYST and "not a real document" in note.title
    nac = data.organs["nato.nac"]
    assert [c.source_id for c in nac.claims] == [PAPER_ID, "tour-note"]
    assert {a.year: a.source_id for a in nac.life.attested}[2015] == "tour-note"
    ssc = data.organs["us-japan.ssc"]
    assert (ssc.life.end.year, ssc.life.end.source_id) == (2005, "tour-note")
    # Only what the note claims changes; the rest stays the paper's own object.
    assert data.organs["nato.mc"].claims[0].life is data.organs["nato.mc"].life


def test_year_present_is_the_year_of_the_sources_date(tmp_path: Path) -> None:
    claims = (
        'organs:\n  - id: us-rok.scm\n    life: {attested: [{year: present, quote: "the SCM met again in 2015"}]}\n'
    )
    claims += '    sources: ["the SCM met again in 2015"]\n'
    data = load_seeds(sources_dirs=[folder(tmp_path, claims)])
    years = {a.year for a in data.organs["us-rok.scm"].life.attested if a.source_id == "my-note"}
    assert years == {2026}


def test_a_malformed_source_is_refused_with_every_problem_named(tmp_path: Path) -> None:
    """One run names them all, each with file, line and field: a quote not in the note's own text,
    an unknown id (with its close match), a structural field that differs from the paper's (both
    files named), a year after the note's date, a source_id written by hand."""
    claims = """organs:
  - id: nato.nac
    nature: military
    sources: ["The note says the SCM met again in 2015"]
  - id: nato.nacc
    sources: ["The note says the SCM met again in 2015"]
  - id: us-rok.scm
    life: {attested: [{year: 2030, quote: "The note says the SCM met again in 2015"}]}
    sources: ["This sentence is nowhere in the note"]
edges:
  - id: nato.nac:authority:oversight:nato.saceur
    sources: [{quote: "The note says the SCM met again in 2015", source_id: finnegan-2009}]
"""
    found = problems(folder(tmp_path, claims))
    text = "\n".join(found)
    claims_file = re.escape("claims.yaml")
    assert re.search(
        claims_file + r":3: organs\[0\]\.nature: nature 'military' differs from 'civilian' in seeds/nato", text
    )
    assert re.search(claims_file + r":5: organs\[1\]\.id: unknown organ 'nato.nacc'; did you mean 'nato.nac'", text)
    assert re.search(claims_file + r":8: organs\[2\]\.life\.attested\[0\]: attested 2030 is after the date", text)
    assert re.search(
        claims_file + r":9: organs\[2\]\.sources\[0\]\.quote: not found verbatim in the text of source 'my-note'", text
    )
    assert re.search(claims_file + r":12: edges\[0\]\.sources\[0\]\.source_id: source_id is set by the loader", text)
    assert len(found) == 5


def test_bad_yaml_in_a_source_is_refused_with_its_line(tmp_path: Path) -> None:
    found = problems(folder(tmp_path, "organs:\n  - id: nato.nac\n    sources: [unclosed\n"))
    assert any("claims.yaml:" in p and "malformed YAML" in p for p in found)


def test_an_alias_bomb_in_a_source_is_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
    found = problems(folder(tmp_path, bomb))
    assert any("claims.yaml" in p and "alias bomb" in p for p in found)


def test_a_50_mb_file_is_refused_unread(tmp_path: Path) -> None:
    """A 50 MB claims file and a 50 MB text: each over its cap, each named, neither read whole."""
    sources = folder(tmp_path, "organs: []\n")
    with (sources / "my-note" / "claims.yaml").open("r+b") as fh:
        fh.truncate(50 * 2**20)
    with (sources / "my-note" / "note.txt").open("r+b") as fh:
        fh.truncate(50 * 2**20)
    found = problems(sources)
    assert any("claims.yaml" in p and "over the limit" in p for p in found)
    assert any("source.yaml" in p and "source.text" in p and "over the limit" in p for p in found)


def test_a_record_that_is_not_an_analysts_is_refused(tmp_path: Path) -> None:
    """A folder cannot pass itself off as the paper, nor point its text outside itself."""
    paper = RECORD.replace("id: my-note", f"id: {PAPER_ID}").replace("kind: analyst", "kind: paper")
    found = problems(folder(tmp_path, "organs: []\n", record=paper))
    assert any("source.yaml" in p and "already loaded" in p for p in found)
    outside = RECORD.replace("text: note.txt", "text: ../../secret.txt")
    found = problems(folder(tmp_path / "b", "organs: []\n", record=outside))
    assert any("source.text" in p and "inside the source's folder" in p for p in found)


def test_two_folders_with_one_id_and_a_folder_with_nothing_in_it(tmp_path: Path) -> None:
    sources = folder(tmp_path, "organs: []\n")
    shutil.copytree(sources / "my-note", sources / "again")
    found = problems(sources)
    assert any("again/source.yaml" in p and "source id 'my-note' is already loaded" in p for p in found)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert any("no source folder here" in p for p in problems(empty))


def test_two_sources_giving_different_values_for_one_figure_are_disputed(tmp_path: Path) -> None:
    """The paper: 'some 24 million travelers transited between the United States and Europe in 2007'.
    A note giving 23 million for the same scope and year disputes it; both values are shown, each
    with its source and quotes; a figure only the paper gives stays single."""
    from app.questions.indicators import indicators
    from app.store.embedded import EmbeddedStore

    text = NOTE + "\nThe note counts 23 million travellers between the United States and Europe in 2007.\n"
    claims = """indicators:
  - alliance: nato
    measure: travellers
    value: 23000000
    year: 2007
    scope: us-europe
    sources: ["The note counts 23 million travellers between the United States and Europe in 2007."]
"""
    store = EmbeddedStore(load_seeds(sources_dirs=[folder(tmp_path, claims, text=text)]))
    found = indicators(store, "nato", "travellers")["indicators"]
    assert [(i["source_id"], i["value"], i["agreement"]) for i in found] == [
        (PAPER_ID, 24000000, "disputed"),
        ("my-note", 23000000, "disputed"),
    ]
    assert [c["source_id"] for c in found[0]["claims"]] == [PAPER_ID, "my-note"]
    assert found[1]["sources"][0]["line"] == 2  # its line in the note's own text
    alone = indicators(store.sourced((PAPER_ID,)), "nato", "travellers")["indicators"]
    assert [(i["value"], i["agreement"]) for i in alone] == [(24000000, "single")]
    assert indicators(store, "us-rok", "travellers")["indicators"][0]["agreement"] == "single"


def test_a_reload_with_a_malformed_source_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: Any) -> None:
    """``POST /admin/reload`` with ``ALLIANCE_SOURCES_DIR`` naming a bad folder: a 422 naming every
    problem, and the store keeps serving what it served (all or nothing); a good folder then loads."""
    from fastapi.testclient import TestClient

    from app.api.deps import set_store
    from app.main import app
    from app.store.embedded import EmbeddedStore

    store = EmbeddedStore(load_seeds())
    before = store.version()
    claims = 'organs:\n  - id: nato.nacc\n    sources: ["This sentence is nowhere in the note"]\n'
    monkeypatch.setenv("ALLIANCE_API_KEY", "s3cret-key")
    monkeypatch.setenv("ALLIANCE_SOURCES_DIR", str(folder(tmp_path, claims)))
    set_store(store)
    try:
        with TestClient(app) as client:
            refused = client.post("/admin/reload", headers={"X-API-Key": "s3cret-key"})
            assert refused.status_code == 422
            # The analyst's folder is named as theirs, never as the seeds (issue 29 item 7).
            assert refused.json()["error"].startswith("2 problem(s) in the analyst's source folder ")
            found = refused.json()["problems"]
            assert any("unknown organ 'nato.nacc'" in p for p in found)
            assert any("not found verbatim in the text of source 'my-note'" in p for p in found)
            assert store.version() == before and list(store.sources()) == [PAPER_ID, "atop-5.1"]
            monkeypatch.setenv("ALLIANCE_SOURCES_DIR", str(EXAMPLE))
            loaded = client.post("/admin/reload", headers={"X-API-Key": "s3cret-key"})
            assert loaded.status_code == 200 and list(store.sources()) == [PAPER_ID, "atop-5.1", "tour-note"]
            assert store.version() != before
    finally:
        set_store(None)
