"""Both stores answer alike with an analyst's source loaded (issue 29 item 7: sources join the
differential tests).

The seeds and the invented tour note (``examples/sources/tour-note``) in the embedded store and in
the test Neo4j: the same claims read back, the same snapshots (organs, edges, judgements with their
agreement and sources), and the same answers to every question, for every selection of counted
sources (all loaded, the paper alone, the note alone), as ``sources=`` asks.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.questions import centrality, compare, diff, export, linkage, paths, timeline
from app.questions.sources import source, sources
from app.snapshot import ALL_KINDS, SnapshotParams
from app.store.base import Store
from app.store.embedded import EmbeddedStore
from graph_schema.vocabulary import PAPER_ID, EdgeKind, Existence

NOTE = "tour-note"
SELECTIONS = (None, (PAPER_ID,), (NOTE,))
FIGURE_4 = ("nato", "us-rok", "us-japan")
# The paper's present tense (2009), the note's (2015), the years its claims bridge, and earlier ones.
YEARS = (None, 1985, 2005, 2009, 2012, 2015)
AUTH = frozenset({EdgeKind.AUTHORITY})


def as_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_both_stores_read_back_the_same_sources_and_claims(noted_embedded: EmbeddedStore, noted_neo4j: Store) -> None:
    loaded = list(noted_embedded.sources())
    assert list(noted_neo4j.sources()) == loaded and loaded[0] == PAPER_ID and NOTE in loaded
    assert noted_neo4j.organs() == noted_embedded.organs()  # each with its claims, one per source
    assert noted_neo4j.edges() == noted_embedded.edges()
    assert as_json(sources(noted_neo4j)) == as_json(sources(noted_embedded))
    for source_id in loaded:
        assert as_json(source(noted_neo4j, source_id)) == as_json(source(noted_embedded, source_id))


@pytest.mark.parametrize("counted", SELECTIONS, ids=str)
def test_snapshots_identical_with_an_analysts_source(
    noted_embedded: EmbeddedStore, noted_neo4j: Store, counted: tuple[str, ...] | None
) -> None:
    for alliance in (*FIGURE_4, None):
        for year in YEARS:
            for existence in Existence:
                params = SnapshotParams(alliance, year, existence=existence, sources=counted)
                a, b = noted_embedded.snapshot(params), noted_neo4j.snapshot(params)
                assert list(b.graph.nodes) == list(a.graph.nodes), params
                assert list(b.graph.edges(keys=True)) == list(a.graph.edges(keys=True)), params
                assert b.judgements == a.judgements, params


@pytest.mark.parametrize("counted", SELECTIONS, ids=str)
def test_questions_identical_with_an_analysts_source(
    noted_embedded: EmbeddedStore, noted_neo4j: Store, counted: tuple[str, ...] | None
) -> None:
    for alliance in FIGURE_4:
        for year in YEARS:
            params = SnapshotParams(alliance, year, sources=counted)
            a, b = noted_embedded.snapshot(params), noted_neo4j.snapshot(params)
            for kinds in (AUTH, ALL_KINDS):
                assert as_json(linkage(b, kinds)) == as_json(linkage(a, kinds)), (params, kinds)
                for metric in ("betweenness", "degree"):
                    assert as_json(centrality(b, metric, kinds)) == as_json(centrality(a, metric, kinds))
            ids = sorted(a.graph.nodes)[:5]
            for one in ids:
                for other in ids:
                    if one != other:
                        assert as_json(paths(b, one, other, ALL_KINDS, 6, 5)) == as_json(
                            paths(a, one, other, ALL_KINDS, 6, 5)
                        )
            for fmt in ("json", "csv", "cypher", "graphml"):
                assert export(b, fmt) == export(a, fmt), (params, fmt)
    embedded, neo4j = noted_embedded.sourced(counted), noted_neo4j.sourced(counted)
    for year in (None, 2009, 2015):
        assert as_json(compare(neo4j, FIGURE_4, year)) == as_json(compare(embedded, FIGURE_4, year))
    for alliance in FIGURE_4:
        assert as_json(timeline(neo4j, alliance)) == as_json(timeline(embedded, alliance))
        assert as_json(diff(neo4j, alliance, 2005, 2015)) == as_json(diff(embedded, alliance, 2005, 2015))
