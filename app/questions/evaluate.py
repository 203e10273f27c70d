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


def _needs() -> Any:
    """What a question needs that one field alone cannot say, as JSON Schema ``if``/``then``: the
    parameters it requires (paths: both ends) present, and a text one not empty."""
    rules = []
    for question in EVALUATED.values():
        needed = [p for p in question.params if p.required]
        if needed:
            texts = {
                p.field.alias or p.name: {"type": "string", "minLength": 1} for p in needed if p.field.annotation is str
            }
            then: dict[str, Any] = {"required": [p.field.alias or p.name for p in needed]}
            if texts:
                then["properties"] = texts
            rules.append({"if": {"properties": {"question": {"const": question.name}}}, "then": then})
    return rules


class _Request(BaseModel):
    """The evaluate body's base: no field beyond those declared, each question's needs in the schema,
    and the body read as that schema says (``read``)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": _needs()})

    @classmethod
    def read(cls, body: bytes | str) -> Any:
        """The request read as its JSON Schema says: no JSON type taken for another (``0`` is no
        boolean, ``"1900"`` no year), as pydantic's strict mode reads, except that a number with no
        fraction (``1900.0``) is an integer, as JSON Schema counts it. Raises ``ValidationError``, or
        ``ValueError`` for a body that is not JSON (or nests deeper than Python reads)."""
        import json

        try:
            return cls.model_validate_json(json.dumps(_integral(json.loads(body))), strict=True)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None


def _integral(value: Any) -> Any:
    """``value`` with every float that has no fraction as an int (JSON Schema's integers), in place."""
    todo = [value]
    while todo:
        node = todo.pop()
        keys = range(len(node)) if isinstance(node, list) else list(node) if isinstance(node, dict) else ()
        for key in keys:
            item = node[key]
            if isinstance(item, float) and item.is_integer():
                node[key] = int(item)
            elif isinstance(item, list | dict):
                todo.append(item)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _body() -> dict[str, Any]:
    """The body's fields: the scenario, the question, the snapshot query's fields (the scenario sent
    whole in place of an id; the alliance by default the scenario's), and every evaluated question's
    own parameters, each optional (a question checks it has those it needs)."""
    names = ", ".join(f"{q.name} ({q.evaluate_note})" if q.evaluate_note else q.name for q in EVALUATED.values())
    fields: dict[str, Any] = {
        "scenario": (
            Scenario,
            Field(
                description="A scenario, as a scenarios/*.yaml file writes it (GET /scenarios/{id}); its quotes must"
                " be verbatim in the paper and its ids those of the data, which the schema cannot say."
            ),
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


REQUEST: type[_Request] = create_model(
    "EvaluateRequest",
    __base__=_Request,
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
