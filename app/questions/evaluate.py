"""``evaluate``: ask one question of a scenario that is not installed (``POST /scenarios/evaluate``).

The scenario arrives whole and is checked like a file; the question is one of the registry's
(``app.questions.registry``, those marked ``evaluate``), asked with the snapshot query and the
question's own parameters, all in the body as its GET route takes them. Nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from app.errors import BadParameter
from app.query import SnapshotQuery, plain_metadata, snapshot_fields
from app.questions.registry import QUESTIONS, Question
from app.store.base import Store
from graph_schema.scenario import Scenario

EVALUATED: dict[str, Question] = {name: q for name, q in QUESTIONS.items() if q.evaluate}


def _typed(field: FieldInfo, optional: bool = False) -> Any:
    """A field's type with its constraints (``| None`` when ``optional``), for a model of its own."""
    annotation: Any = field.annotation
    if optional:
        annotation = annotation | None
    metadata = plain_metadata(field)
    return Annotated[(annotation, *metadata)] if metadata else annotation


def _body() -> dict[str, Any]:
    """The body's fields: the scenario, the question, the snapshot query's fields (the scenario sent
    whole in place of an id; the alliance by default the scenario's), and every evaluated question's
    own parameters, each optional (a question checks it has those it needs)."""
    names = ", ".join(f"{q.name} ({q.evaluate_note})" if q.evaluate_note else q.name for q in EVALUATED.values())
    fields: dict[str, Any] = {
        "scenario": (
            dict[str, Any],
            Field(description="A scenario, as a scenarios/*.yaml file writes it (GET /scenarios/{id})."),
        ),
        "question": (Literal[tuple(EVALUATED)], Field(description=f"The question: {names}.")),
    }
    for name, field in snapshot_fields(["scenario"]).items():
        if name == "alliance":
            field = FieldInfo.merge_field_infos(field, description="Default: the scenario's alliance.")
        fields[name] = (_typed(field), field)
    for question in EVALUATED.values():
        for p in question.params:
            if p.name not in fields:
                default = None if p.required else p.field.default
                fields[p.name] = (
                    _typed(p.field, optional=p.required),
                    Field(default, alias=p.field.alias, description=p.field.description),
                )
    return fields


REQUEST: type[BaseModel] = create_model(
    "EvaluateRequest",
    __config__=ConfigDict(extra="forbid"),
    __doc__="A scenario sent whole, and the question to ask of it (the parameters of the question's GET route).",
    **_body(),
)
# The answer: the asked question's model (the generated client tries them in this order; each has
# required fields the others lack).
ANSWER: Any = Union[tuple(q.model for q in EVALUATED.values())]  # noqa: UP007 - built from the registry
if TYPE_CHECKING:
    EvaluateRequest = Any  # the model, built above from the registry when the module is imported
else:
    EvaluateRequest = REQUEST


def evaluate(store: Store, scenario: Scenario, ask: Any) -> dict[str, Any]:
    """The answer to ``ask`` (an ``EvaluateRequest``) with ``scenario`` laid over the store's data,
    in memory."""
    question = EVALUATED[ask.question]
    alliance = ask.alliance or scenario.alliance
    store.alliance(alliance)
    values = {p.name: getattr(ask, p.name) for p in question.params}
    needed = [p.name for p in question.params if p.required]
    missing = [name for name in needed if values[name] is None]
    if missing:
        raise BadParameter(missing[0], f"{question.name} needs {' and '.join(needed)}")
    fields = {name: getattr(ask, name) for name in snapshot_fields(["scenario"])}
    query = SnapshotQuery.model_construct(**{**fields, "alliance": alliance})
    answer, _ = question.ask(store, query, values, scenario)
    return answer
