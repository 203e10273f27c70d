"""``sources=`` through every shell (CONTRACT.md §2 "Sources"): one field of the snapshot query.

"``sources=`` chooses which sources count, on every endpoint that answers about organs, edges,
alliances or indicators: the questions, ``/alliances/{id}``, its organs, ``/organs``,
``/indicators``, ``/timeline``, ``/diff``, ``/compare``, ``/export``, the chart, and the CLI
(default: all loaded; an unknown id is a 404 naming it) ... The answer cache and ETags key on the
counted set." Checked over the paper's seeds with the invented tour note (``examples/sources``)
beside them, on both stores (the ``noted`` fixture of ``tests/test_sources_stores.py``): every
question's route with its registry example, the routes that take no snapshot, the evaluate body,
the ETag, and the command line (``--sources``, ``--sources-dir``, ``alliances sources``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app
from app.questions.registry import QUESTIONS
from app.store.base import Store
from graph_schema.vocabulary import PAPER_ID
from tests.conftest import EXAMPLE_SOURCES as EXAMPLE

ROOT = Path(__file__).resolve().parent.parent
ROUTED = [q for q in QUESTIONS.values() if q.route]
BOTH = [PAPER_ID, "tour-note"]
LOADED = [PAPER_ID, "atop-5.1", "tour-note"]  # all loaded: the paper, the shipped dataset, the note


@pytest.fixture(scope="module")
def api(noted: Store) -> Iterator[TestClient]:
    set_store(noted)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        set_store(None)


def _query(example: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {k: ",".join(v) if isinstance(v, list) else v for k, v in {**example, **more}.items()}


@pytest.mark.parametrize("question", ROUTED, ids=[q.name for q in ROUTED])
def test_every_question_counts_the_sources_asked_for(api: TestClient, question: Any) -> None:
    """Each question's route, with its registry example: ``counted_sources`` all loaded by default,
    the paper alone with ``sources=finnegan-2009``; ``sources=tour-notes`` a 404 naming it, with
    the close match."""
    path = f"/{question.name}"
    default = api.get(path, params=_query(question.example))
    assert default.status_code == 200, default.text
    assert default.json()["counted_sources"] == LOADED
    alone = api.get(path, params=_query(question.example, sources=PAPER_ID))
    assert alone.status_code == 200, alone.text
    assert alone.json()["counted_sources"] == [PAPER_ID]
    wrong = api.get(path, params=_query(question.example, sources="tour-notes"))
    assert wrong.status_code == 404, wrong.text
    assert wrong.json()["id"] == "tour-notes" and wrong.json()["close_matches"] == ["tour-note"]


def test_a_question_reads_the_store_as_the_counted_sources_have_it(api: TestClient) -> None:
    """Paths from the NAC to SACEUR in 2012: certain with the note's 2015 ("in 2015 the North
    Atlantic Council still oversaw the Supreme Allied Commander Europe") bridging the paper's 2009,
    possible with the paper alone; the note alone has no U.S.-ROK organ to start from (a 404)."""
    asked = {"source": "nato.nac", "target": "nato.saceur", "as_of": 2012}
    both = api.get("/paths", params=asked).json()
    alone = api.get("/paths", params={**asked, "sources": PAPER_ID}).json()
    assert both["paths"][0]["certain"] is True and alone["paths"][0]["certain"] is False
    rok = api.get("/paths", params={"source": "us-rok.scm", "target": "us-rok.cfc", "sources": "tour-note"})
    assert rok.status_code == 404 and rok.json()["id"] == "us-rok.scm"


def test_the_routes_without_a_snapshot_take_sources_too(api: TestClient) -> None:
    """``/alliances/{id}``, its organs, ``/organs``, ``/organs/{id}`` and ``/indicators``: the SSC
    the note says "was formally dissolved in 2005" is claimed by both, disputed; by the paper alone,
    single; the note gives no indicator; an unknown source is a 404 on each."""
    ssc = api.get("/organs/us-japan.ssc", params={"as_of": 2009}).json()
    assert (ssc["agreement"], ssc["counted_sources"]) == ("disputed", LOADED)
    ssc = api.get("/organs/us-japan.ssc", params={"as_of": 2009, "sources": PAPER_ID}).json()
    assert (ssc["agreement"], ssc["counted_sources"], ssc["existence"]) == ("single", [PAPER_ID], "certain")
    found = api.get("/organs", params={"alliance": "nato", "sources": "tour-note"}).json()
    assert sorted(o["id"] for o in found) == ["nato.aco", "nato.nac", "nato.saceur"]
    organs = api.get("/alliances/nato/organs", params={"as_of": 2015, "sources": "tour-note"}).json()
    assert sorted(o["id"] for o in organs) == ["nato.aco", "nato.nac", "nato.saceur"]
    nato = api.get("/alliances/nato", params={"sources": "tour-note"}).json()
    assert (nato["organs"], nato["counted_sources"]) == (3, ["tour-note"])
    assert api.get("/indicators", params={"sources": "tour-note"}).json()["count"] == 0
    assert api.get("/indicators").json()["count"] > 0
    for path in ("/alliances", "/alliances/nato", "/organs", "/organs/nato.nac", "/indicators", "/export"):
        wrong = api.get(path, params={"sources": "tour-notes"})
        assert wrong.status_code == 404 and wrong.json()["close_matches"] == ["tour-note"], path


def test_the_etag_and_the_answer_cache_key_on_the_counted_set(api: TestClient) -> None:
    """Two selections never share an ETag; the same selection asked twice answers the same."""
    url = "/linkage?alliance=nato&as_of=2012"
    tags = {s: api.get(url + (f"&sources={s}" if s else "")).headers["etag"] for s in ("", PAPER_ID, "tour-note")}
    assert len(set(tags.values())) == 3
    again = api.get(url + f"&sources={PAPER_ID}")
    assert again.headers["etag"] == tags[PAPER_ID] and again.json()["counted_sources"] == [PAPER_ID]
    assert api.get(url, headers={"If-None-Match": tags[PAPER_ID]}).status_code == 200


def test_the_evaluate_body_takes_sources(api: TestClient) -> None:
    """The U.S.-ROK recommendation sent whole, asked of NATO in 2012: the paper alone leaves the
    NAC -> SACEUR chain possible, the note's 2015 with it makes it certain, as the route answers."""
    scenario = api.get("/scenarios/rok-post-2012-linkage").json()
    body = {"scenario": {**scenario, "id": "sent"}, "question": "linkage", "alliance": "nato", "as_of": 2012}
    for counted, certain in (([PAPER_ID], False), (BOTH, True)):
        sent = api.post("/scenarios/evaluate", json={**body, "sources": counted})
        assert sent.status_code == 200, sent.text
        assert (sent.json()["counted_sources"], sent.json()["certain"]) == (counted, certain)
    wrong = api.post("/scenarios/evaluate", json={**body, "sources": ["tour-notes"]})
    assert wrong.status_code == 404 and wrong.json()["id"] == "tour-notes"


# ------------------------------------------------------------------------------------ command line


def _cli(*args: str, sources_dir: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ALLIANCE_"))}
    if sources_dir:
        env["ALLIANCE_SOURCES_DIR"] = str(EXAMPLE)
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_command_line_counts_the_sources_asked_for() -> None:
    """``--sources`` on a question's command and on ``organs``; ``alliances sources`` lists both,
    the note as the analyst's; an unknown id is refused in one line naming it."""
    both = json.loads(_cli("linkage", "--alliance", "nato", "--as-of", "2012", "--format", "json").stdout)
    alone = _cli("linkage", "--alliance", "nato", "--as-of", "2012", "--sources", PAPER_ID, "--format", "json")
    assert both["counted_sources"] == LOADED and json.loads(alone.stdout)["counted_sources"] == [PAPER_ID]
    assert both["certain"] and not json.loads(alone.stdout)["certain"]
    organs = _cli("organs", "--alliance", "nato", "--sources", "tour-note", "--format", "json")
    assert sorted(o["id"] for o in json.loads(organs.stdout)) == ["nato.aco", "nato.nac", "nato.saceur"]
    listed = json.loads(_cli("sources", "--format", "json").stdout)
    assert [(s["id"], s["kind"]) for s in listed] == [
        (PAPER_ID, "paper"),
        ("atop-5.1", "dataset"),
        ("tour-note", "analyst"),
    ]
    one = json.loads(_cli("sources", "tour-note", "--format", "json").stdout)
    assert one["claims"]["organs"] == ["nato.aco", "nato.nac", "nato.saceur", "us-japan.ssc"]
    wrong = _cli("linkage", "--alliance", "nato", "--sources", "tour-notes")
    assert wrong.returncode == 1 and "unknown source id 'tour-notes'; did you mean tour-note?" in wrong.stderr


def test_validate_reads_a_sources_dir_given_on_the_command_line() -> None:
    checked = _cli("validate", "--sources-dir", str(EXAMPLE), sources_dir=False)
    assert checked.returncode == 0, checked.stderr
    assert "source tour-note (analyst: An invented note" in checked.stdout
