"""The life rules of CONTRACT.md §1 "Time and certainty", one test per rule, on small lives written here.

Each test builds the smallest life that exercises one rule and asks ``app.snapshot`` what it makes of
a year; the quotes are the paper's, so each life reads like the seed it stands for.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.snapshot import Judge, SnapshotParams, certain_range, life_judgement, possible_range
from app.snapshot_view import build_graph, snapshot_of
from graph_schema.life import Life, StatusPeriod, edtf_of
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.vocabulary import Existence, Status

PRESENT = "The NAC itself has a standing dedicated staff"
MID_90S = "In the mid-1990s, then Deputy Assistant Secretary Kurt Campbell instituted the “mini-SSC”"
THEN_ACTIVE = "much of the actual coordination occurred at the level of the then-active mini-SSC"
CFC_1978 = "In 1978, in recognition of the development of South Korean forces, the current Combined Forces Command"
PLAN_2012 = "by agreement, CFC will be deactivated in 2012"
UNC_1950 = "the United Nations Command (UNC), established in 1950"

ALLIANCES = {
    "us-rok": Alliance(id="us-rok", name="U.S.-ROK", treaty_years=[1954], sources=["Republic of Korea (1954)"]),
    "nato": Alliance(id="nato", name="NATO", treaty_years=[1949], sources=["NATO (1949), Japan (1951/1960)"]),
}


def life(**data: Any) -> Life:
    return Life.model_validate(data)


def judged(lf: Life, year: int | None, floor: int | None = None, planned: bool = False) -> tuple[Any, str]:
    j = life_judgement(lf, year, floor, planned)
    return (j.existence.value if j.existence else None), j.rule


def test_a_dated_life_is_certain_within_its_years_and_absent_outside() -> None:
    """'In 1994, "peacetime OPCON" was withdrawn': a life 1978 <= year < 1994."""
    lf = life(
        start={"year": 1978, "quote": CFC_1978}, end={"year": 1994, "quote": "In 1994, “peacetime OPCON” was withdrawn"}
    )
    assert judged(lf, 1985) == ("certain", "dated")
    assert judged(lf, 1993) == ("certain", "dated")
    assert judged(lf, 1994) == (None, "after-end")
    assert judged(lf, 1977) == (None, "before-start")


def test_present_tense_attests_2009_only_and_earlier_years_stay_possible() -> None:
    """An organ the paper describes only in its present tense is certain in 2009, possible before
    (down to its treaty year), absent before the treaty, and possible after (an open end)."""
    lf = life(attested=[{"year": 2009, "quote": PRESENT}])
    assert judged(lf, 2009, floor=1949) == ("certain", "attested")
    assert judged(lf, 1985, floor=1949)[0] == "possible"
    assert judged(lf, 1948, floor=1949) == (None, "before-treaty")
    assert judged(lf, 2015, floor=1949) == ("possible", "open-end")


def test_years_between_a_dated_start_and_a_later_attested_year_are_certain() -> None:
    lf = life(start={"year": 1978, "quote": CFC_1978}, attested=[{"year": 2009, "quote": PRESENT}])
    assert judged(lf, 1990) == ("certain", "dated")
    assert judged(lf, 2010) == ("possible", "open-end")


def test_a_bounded_start_is_possible_inside_its_bounds_and_certain_once_attested() -> None:
    """The mini-SSC: instituted 'in the mid-1990s' ([1994..1996]); 'then-active' in 1996-1997."""
    lf = life(
        start={"not_before": {"year": 1994, "quote": MID_90S}, "not_after": {"year": 1996, "quote": MID_90S}},
        attested=[{"year": 1996, "until": 1997, "quote": THEN_ACTIVE}],
    )
    assert judged(lf, 1993) == (None, "before-start")
    assert judged(lf, 1995) == ("possible", "bounded")
    assert judged(lf, 1996) == ("certain", "attested")
    assert judged(lf, 1998) == ("possible", "open-end")
    assert lf.start.edtf == "[1994..1996]"


def test_a_not_after_start_makes_the_years_up_to_a_later_attestation_certain() -> None:
    """Started by 2001 (its start's not_after) and attested in 2009: alive in 2005."""
    lf = life(start={"not_after": {"year": 2001, "quote": PRESENT}}, attested=[{"year": 2009, "quote": PRESENT}])
    assert judged(lf, 2005) == ("certain", "between-attested")
    assert judged(lf, 2000, floor=1949)[0] == "possible"
    assert lf.start.edtf == "[..2001]"


def test_the_treaty_floor_bounds_only_open_starts() -> None:
    """'the United Nations Command (UNC), established in 1950' precedes the 1954 U.S.-ROK treaty."""
    dated = life(start={"year": 1950, "quote": UNC_1950})
    assert judged(dated, 1950, floor=1954) == ("certain", "dated")
    assert judged(dated, 1951, floor=1954) == ("possible", "open-end")  # after its last dated year
    assert judged(life(), 1951, floor=1954) == (None, "before-treaty")
    assert judged(life(), 1960, floor=1954) == ("possible", "undated")


def test_plans_apply_only_when_asked_for_and_are_never_certain() -> None:
    """'by agreement, CFC will be deactivated in 2012': a planned end, not an end."""
    lf = life(start={"year": 1978, "quote": CFC_1978}, planned_end={"year": 2012, "quote": PLAN_2012})
    assert judged(lf, 2013)[0] == "possible"  # without plans the plan changes nothing
    assert judged(lf, 2013, planned=True) == (None, "after-planned-end")
    plan = life(planned_start={"year": 2012, "quote": PLAN_2012})
    assert judged(plan, 2013) == (None, "plan-ignored")
    assert judged(plan, 2013, planned=True) == ("possible", "planned")
    assert judged(plan, 2011, planned=True) == (None, "before-start")


def test_a_stated_gap_makes_its_years_absent() -> None:
    lf = life(
        start={"year": 1950, "quote": UNC_1950},
        attested=[{"year": 2009, "quote": PRESENT}],
        gaps=[{"start": {"year": 1960, "quote": UNC_1950}, "end": {"year": 1970, "quote": UNC_1950}}],
    )
    assert judged(lf, 1965) == (None, "in-gap")
    assert judged(lf, 1955)[0] == "certain"


def test_without_a_year_a_thing_is_certain_when_some_year_of_its_life_is() -> None:
    assert judged(life(attested=[{"year": 2009, "quote": PRESENT}]), None) == ("certain", "timeless")
    assert judged(life(), None) == ("possible", "timeless")


def test_possible_and_certain_ranges() -> None:
    lf = life(
        start={"not_before": {"year": 1994, "quote": MID_90S}, "not_after": {"year": 1996, "quote": MID_90S}},
        attested=[{"year": 1996, "until": 1997, "quote": THEN_ACTIVE}],
    )
    assert possible_range(lf, 1951) == (1994, None)
    assert certain_range(lf) == (1996, 1997)
    assert possible_range(life(), 1951) == (1951, None)
    assert certain_range(life()) == (None, None)


def test_edtf_expressions() -> None:
    assert [edtf_of(1954, 1954, True), edtf_of(1994, 1996), edtf_of(None, 2001), edtf_of(1970, None)] == [
        "1954",
        "[1994..1996]",
        "[..2001]",
        "[1970..]",
    ]
    assert edtf_of(None, None) == ""


# ------------------------------------------------------------------------- status, parts, weakest link


def organ(organ_id: str, **data: Any) -> Organ:
    base = {"name": organ_id, "type": "command", "alliance": "us-rok", "nature": "military", "level": "operational"}
    return Organ.model_validate({"id": organ_id, **base, "sources": [CFC_1978], **data})


CFC = organ(
    "us-rok.cfc", life={"start": {"year": 1978, "quote": CFC_1978}, "attested": [{"year": 2009, "quote": PRESENT}]}
)
COMMANDER = organ(
    "us-rok.commander-cfc",
    type="post",
    part_of="us-rok.cfc",
    life={"start": {"year": 1978, "quote": CFC_1978}, "attested": [{"year": 2015, "quote": PRESENT}]},
)
STAFF = organ("us-rok.cfc-staff", type="staff", part_of="us-rok.commander-cfc")
UNDATED = organ("us-rok.component", life={})


def snap(year: int | None, **params: Any) -> Any:
    organs = [CFC, COMMANDER, STAFF, UNDATED]
    edges = [
        Edge(
            source="us-rok.commander-cfc",
            target="us-rok.component",
            kind="authority",
            mode="command",
            sources=[CFC_1978],
            life={"start": {"year": 1978, "quote": CFC_1978}, "attested": [{"year": 2009, "quote": PRESENT}]},
        ),
        Edge(
            source="us-rok.cfc",
            target="us-rok.commander-cfc",
            kind="support",
            mode="staff-support",
            sources=[CFC_1978],
            life={"start": {"year": 1978, "quote": CFC_1978}},
        ),
    ]
    return snapshot_of(build_graph(organs, edges), SnapshotParams("us-rok", year, **params), ALLIANCES)


def test_a_part_is_never_surer_than_its_whole() -> None:
    s = snap(1985)
    assert s.judgement("us-rok.cfc").certain and s.judgement("us-rok.commander-cfc").certain
    # In 2015 the commander's own life is certain (attested here), but CFC's is only possible.
    later = snap(2015)
    assert later.judgement("us-rok.cfc").existence is Existence.POSSIBLE
    commander = later.judgement("us-rok.commander-cfc")
    assert commander.existence is Existence.POSSIBLE and commander.rule == "part-of"
    assert commander.because == "us-rok.cfc"


def test_excluding_a_whole_removes_its_parts_transitively_and_lists_them() -> None:
    s = snap(1985, exclude=frozenset({"us-rok.cfc"}))
    assert set(s.removed) == {"us-rok.cfc", "us-rok.commander-cfc", "us-rok.cfc-staff"}
    assert "us-rok.component" in s.graph and "us-rok.commander-cfc" not in s.graph
    assert s.removed_edges == 2
    only_part = snap(1985, exclude=frozenset({"us-rok.cfc-staff"}))
    assert only_part.removed == ["us-rok.cfc-staff"] and "us-rok.cfc" in only_part.graph


def test_an_edge_is_no_surer_than_its_ends() -> None:
    s = snap(1985)
    (edge_id,) = [k for _, _, k in s.graph.edges(keys=True) if k.endswith("us-rok.component")]
    judged_edge = s.judgement(edge_id)
    assert judged_edge.existence is Existence.POSSIBLE and judged_edge.rule == "weakest-link"
    assert judged_edge.because == "us-rok.component"


def test_existence_certain_keeps_only_what_the_paper_places_in_the_year() -> None:
    s = snap(1985, existence=Existence.CERTAIN)
    assert "us-rok.component" not in s.graph and "us-rok.cfc" in s.graph
    assert all(j.certain for j in s.judgements.values())


def test_status_is_the_period_that_certainly_covers_the_year_else_unknown() -> None:
    """The SDC 'produced the 1979 and 1997 Defense Guidelines' and 'has lain dormant' (2009)."""
    periods = [
        StatusPeriod.model_validate(
            {"status": "active", "attested": [{"year": 1979, "quote": "the SDC produced the 1979"}]}
        ),
        StatusPeriod.model_validate(
            {"status": "dormant", "attested": [{"year": 2009, "quote": "this group has lain dormant"}]}
        ),
    ]
    sdc = organ(
        "us-rok.sdc",
        type="committee",
        life={
            "start": {"year": 1976, "quote": "The SDC dates from 1976"},
            "attested": [{"year": 2009, "quote": PRESENT}],
        },
        status_periods=[p.model_dump(mode="json") for p in periods],
    )
    judge = Judge(SnapshotParams(as_of=1979), {sdc.id: sdc}, ALLIANCES)
    assert judge.organ(sdc.id).status is Status.ACTIVE
    assert Judge(SnapshotParams(as_of=1985), {sdc.id: sdc}, ALLIANCES).organ(sdc.id).status is Status.UNKNOWN
    dormant = Judge(SnapshotParams(as_of=2009), {sdc.id: sdc}, ALLIANCES).organ(sdc.id)
    # Dormancy never lowers existence.
    assert dormant.status is Status.DORMANT and dormant.existence is Existence.CERTAIN
    assert Judge(SnapshotParams(as_of=1990), {CFC.id: CFC}, ALLIANCES).organ(CFC.id).status is Status.ACTIVE


@pytest.mark.parametrize("field", ["not_before", "not_after"])
def test_a_point_is_a_year_or_bounds_not_both(field: str) -> None:
    with pytest.raises(ValueError, match="a stated year or bounds"):
        Life.model_validate({"start": {"year": 1978, field: {"year": 1978, "quote": CFC_1978}}})
