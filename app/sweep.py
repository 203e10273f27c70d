"""One question asked over many snapshots: a sweep over alliances, years, conditions, existence, scenarios and sources.

``sweep`` is the one Python call for "ask this of every year (alliance, scenario, ...)": a plain
loop over snapshot queries (``app.query.SnapshotQuery``), each asked through the question's
descriptor (``app.questions.registry``) exactly as the REST route and the CLI ask it, so a row's
answer is the answer ``GET /NAME`` gives for the same parameters. How the loop is made fast (a
judgement kept per data version, ...) belongs underneath, not in another sweep.

Each row is one combination: the question, the snapshot query's fields as asked (``alliance``,
``as_of``, ``condition``, ``existence``, ``scenario``, and ``sources`` when the snapshot query takes
them) and ``answer``, the question's answer as a dict.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.errors import BadParameter
from app.query import SnapshotQuery, checked, params_model
from app.questions.registry import QUESTIONS, Question
from app.store.base import Store

__all__ = ["AXES", "question_of", "sweep"]

# The snapshot query's fields a sweep varies, in the order rows list them (sources once the query has them).
AXES = ("alliance", "as_of", "condition", "existence", "scenario", "sources")


def question_of(question: str | Question) -> Question:
    """The registry's descriptor of ``question`` (its name, or the descriptor itself)."""
    if isinstance(question, Question):
        return question
    try:
        return QUESTIONS[question]
    except KeyError:
        raise BadParameter("question", f"{question!r} is not a question; one of {', '.join(QUESTIONS)}") from None


def _values(values: Any) -> list[Any]:
    """An axis as a list: one value (a year, an id) is an axis of one."""
    if values is None or isinstance(values, str | int):
        return [values]
    return list(values)


def sweep(
    store: Store,
    question: str | Question,
    *,
    alliances: Iterable[str | None] | str | None,
    years: Iterable[int | None] | int | None,
    conditions: Iterable[str | None] = (None,),
    existences: Iterable[str] = ("possible",),
    scenarios: Iterable[str | None] = (None,),
    sources: Iterable[Sequence[str] | str | None] | None = None,
    **own: Any,
) -> list[dict[str, Any]]:
    """Ask ``question`` of every combination of the axes; one row per combination, in axis order.

    Parameters
    ----------
    store
        The store asked (the embedded store over the seeds, or Neo4j: any ``Store``).
    question
        A question's name (``"linkage"``, ``"paths"``, ...) or its descriptor.
    alliances, years, conditions, existences, scenarios
        The values of each axis (one value counts as an axis of one; ``None`` leaves the parameter
        unset, as a request that omits it). A question that takes no alliance of a snapshot but
        takes its own ``alliances`` (``compare``) gets the whole list as that parameter, one row per
        combination of the other axes.
    sources
        Source selections, each a list of source ids, a comma list, or ``None`` (all loaded); only
        when the snapshot query takes ``sources``. ``None`` (the default) leaves it unset.
    **own
        The question's own parameters (``kinds``, ``source``, ``metric``...), and any other snapshot
        field held the same over the sweep (``include_planned``, ``exclude``), as the API takes them.

    Returns
    -------
    list of dict
        ``question``, the axes' values as asked, and ``answer`` (the question's answer, as
        ``GET /NAME`` gives it).

    Raises
    ------
    BadParameter
        A value the API would refuse (naming the parameter); an axis the question does not take
        given a value; an unknown question.
    NotFound
        An unknown alliance, organ or scenario (naming it).

    Examples
    --------
    >>> from app.defaults import default_dataset
    >>> from app.store.embedded import EmbeddedStore
    >>> rows = sweep(EmbeddedStore(default_dataset()), "linkage", alliances=["us-rok"], years=[1975, 1985])
    >>> [(r["as_of"], r["answer"]["linked"]) for r in rows]
    [(1975, True), (1985, True)]
    """
    q = question_of(question)
    taken = set(q.snapshot_parameters())
    own = dict(own)
    fixed = {name: own.pop(name) for name in list(own) if name in SnapshotQuery.model_fields}
    alliance_values = _values(alliances)
    if q.alliance == "none" and any(a is not None for a in alliance_values):
        if "alliances" not in {p.name for p in q.params}:
            raise BadParameter("alliances", f"{q.name} takes no alliance")
        if "alliances" in own:
            raise BadParameter("alliances", "give the alliances once")
        own["alliances"] = [a for a in alliance_values if a is not None]
        alliance_values = [None]
    axes: dict[str, list[Any]] = {
        "alliance": alliance_values,
        "as_of": _values(years),
        "condition": _values(conditions),
        "existence": _values(existences),
        "scenario": _values(scenarios),
    }
    if sources is not None:
        if "sources" not in SnapshotQuery.model_fields:
            raise BadParameter("sources", "this explorer's snapshot query takes no sources")
        axes["sources"] = [s.split(",") if isinstance(s, str) else s for s in _values(sources)]
    for name, axis in list(axes.items()):
        if name in taken:
            continue
        default = SnapshotQuery.model_fields[name].get_default()
        if any(v is not None and v != default for v in axis):
            raise BadParameter(name, f"{q.name} does not take {name}")
        axes[name] = [None]
    unknown = set(own) - {p.name for p in q.params}
    if unknown:
        raise BadParameter(sorted(unknown)[0], f"not a parameter of {q.name}")
    checked_own = checked(params_model(f"{q.name}_parameters", q.params), own)
    values = {p.name: getattr(checked_own, p.name) for p in q.params}

    rows: list[dict[str, Any]] = []
    names = list(axes)
    for combination in itertools.product(*axes.values()):
        asked = dict(zip(names, combination, strict=True))
        query = _query(q, {**fixed, **asked})
        answer, _ = q.ask(store, query, values)
        rows.append({"question": q.name, **asked, "answer": answer})
    return rows


def _query(q: Question, values: Mapping[str, Any]) -> SnapshotQuery:
    """The snapshot query of one combination: the question's defaults, then what is set (None unset)."""
    given = {k: v for k, v in values.items() if v is not None}
    query: SnapshotQuery = checked(SnapshotQuery, {**q.defaults, **given})
    return query
