"""The roster of America's seven treaty alliances, and which have a standing structure."""

from __future__ import annotations

from app.store.base import Store
from graph_schema.vocabulary import ALLIANCE_IDS


def test_seven_treaty_alliances_with_their_years(store: Store) -> None:
    """'America has seven treaty alliances ...: NATO (1949), Japan (1951/1960), Republic of the Philippines (1951),
    Australia and New Zealand (ANZUS) (1952), Republic of Korea (1954), Thailand (1954) and Great Britain (1958).'"""
    years = {a.id: a.treaty_years for a in store.alliances().values()}
    assert years == {
        "nato": [1949],
        "us-japan": [1951, 1960],
        "us-philippines": [1951],
        "anzus": [1952],
        "us-rok": [1954],
        "us-thailand": [1954],
        "us-uk": [1958],
    }
    assert tuple(store.alliances()) == ALLIANCE_IDS


def test_no_standing_structure_for_thailand_philippines_anzus(store: Store) -> None:
    """'For all practical purposes, there is no standing military structure for the U.S. alliances with Thailand or
    the Philippines, or with ANZUS for that matter.' The paper is silent on the U.S.-UK: null, not false."""
    standing = {a.id: a.standing_structure for a in store.alliances().values()}
    assert standing["us-thailand"] is standing["us-philippines"] is standing["anzus"] is False
    assert standing["us-uk"] is None
    assert standing["nato"] is standing["us-japan"] is standing["us-rok"] is True
    for alliance in ("us-thailand", "us-philippines", "anzus", "us-uk"):
        assert not [o for o in store.organs().values() if o.alliance == alliance]


def test_every_organ_and_edge_quotes_the_paper(store: Store) -> None:
    """Ground rule: every organ and edge carries a verbatim quote (the loader checks each is in the paper)."""
    assert all(o.sources for o in store.organs().values())
    assert all(e.sources for e in store.edges().values())


def test_seato_is_a_note_of_us_thailand_with_its_years(store: Store) -> None:
    """'US-Thailand security relations remain based on the 1954 Manila Pact that formed the Southeast Asia Treaty
    Organization (SEATO) which disbanded in 1977' — SEATO is not one of the seven treaty alliances; its years are
    events of the U.S.-Thailand alliance."""
    thailand = store.alliance("us-thailand")
    years = {e.year for e in thailand.events if "SEATO" in e.what}
    assert years == {1954, 1977}
    assert "seato" not in store.alliances()
