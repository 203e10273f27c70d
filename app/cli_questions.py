"""The command line's questions, built from the registry: options from the declarations, answers printed.

Each question of ``app.questions.registry`` is a command (``alliances paths``, ``alliances
linkage``, ...): its own parameters and the snapshot query's fields (``app.query``) become options
(``--as-of``, ``--kinds``; positional where declared), checked as the API checks them and refused
in one line as the API words it. The answer prints as JSON, CSV, or in words and a table. The
snapshot options are shared with the commands that take a snapshot without being questions
(``export``, ``diagram``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo

from app.cli_table import emit, table
from app.errors import BadParameter
from app.progress import stderr_progress
from app.query import SnapshotQuery, checked, choices_of, cli_of, params_model, snapshot_fields
from app.questions.registry import QUESTIONS, Question
from app.store.base import Store


def open_store(args: argparse.Namespace) -> Store:
    """The store a command answers from (Neo4j when ``NEO4J_URI`` is set), checked reachable."""
    from app import snapshot_view
    from app.api.deps import make_store
    from app.config import get_settings

    # The first build of a large structure's snapshot shows a bar on a terminal (nothing when piped).
    snapshot_view.BUILD_PROGRESS = stderr_progress()

    store = make_store(get_settings())
    store.check()
    return store


# ------------------------------------------------------------------------------------ options


def _kind(field: FieldInfo) -> Callable[[str], Any]:
    """The type argparse converts a value to: int (a bad one is a usage error), else text."""
    annotation = field.annotation
    options = getattr(annotation, "__args__", None) or (annotation,)
    return int if int in options and bool not in options else str


def _as_help(description: str | None) -> str | None:
    """An API description as argparse help: "Year of the comparison." -> "year of the comparison"."""
    if not description:
        return description
    return (description[0].lower() + description[1:]).removesuffix(".")


def add_options(
    parser: argparse.ArgumentParser,
    fields: Mapping[str, FieldInfo],
    required: Iterable[str] = (),
    helps: Mapping[str, str | None] | None = None,
) -> None:
    """One option per field, as its ``Cli`` declares (``app.query.Cli``; ``helps`` of a command's
    own). An option not given is left out of the namespace, so the declaration's default applies."""
    must, helps = set(required), helps or {}
    for name, field in fields.items():
        cli = cli_of(field)
        text = cli.help if cli.help and name not in helps else _as_help(helps.get(name) or field.description)
        if cli.positional:
            parser.add_argument(name, help=text)
            continue
        flag = cli.flag or "--" + name.replace("_", "-")
        if field.annotation is bool:
            parser.add_argument(flag, dest=name, action="store_true", default=argparse.SUPPRESS, help=text)
            continue
        parser.add_argument(
            flag,
            dest=name,
            metavar=flag.lstrip("-").replace("-", "_").upper(),
            type=_kind(field),
            choices=choices_of(field) if cli.choices else None,
            required=name in must or field.is_required(),
            default=argparse.SUPPRESS,
            help=text,
        )


def snapshot_options(
    parser: argparse.ArgumentParser,
    alliance: str = "optional",
    without: Iterable[str] = (),
    helps: Mapping[str, str | None] | None = None,
) -> None:
    """The snapshot query's options (less ``without``; ``--alliance`` ``required`` or ``optional``),
    and ``--scenario-file``."""
    required = ["alliance"] if alliance == "required" else []
    add_options(parser, snapshot_fields(without), required, helps)
    if "scenario" not in set(without):
        parser.add_argument(
            "--scenario-file", help="an analyst's scenario file (YAML), checked and applied, not installed"
        )


def sources_option(parser: argparse.ArgumentParser) -> None:
    """``--sources``, the snapshot query's field, for a command that takes no snapshot but answers
    about organs, alliances or indicators (``organs``, ``indicators``)."""
    add_options(parser, {"sources": SnapshotQuery.model_fields["sources"]})


def counted_store(store: Store, args: argparse.Namespace) -> Store:
    """``store`` as the sources ``--sources`` names have it (``SnapshotQuery.counted``)."""
    query: SnapshotQuery = checked(SnapshotQuery, given(args, ["sources"]))
    return query.counted(store)


def format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["table", "json", "csv"], default="table")


def given(args: argparse.Namespace, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(args, name) for name in names if hasattr(args, name)}


def snapshot_query(
    store: Store, args: argparse.Namespace, without: Iterable[str] = (), defaults: Mapping[str, Any] | None = None
) -> SnapshotQuery:
    """The snapshot query a command's options ask for, checked (a bad value a ``BadParameter``).

    ``--scenario-file PATH`` (an analyst's file, checked like a seed and laid over the data for this
    command only, never installed) names its scenario as ``--scenario ID`` names a shipped one.
    """
    values = {**(defaults or {}), **given(args, snapshot_fields(without))}
    path = getattr(args, "scenario_file", None)
    if path is not None:
        if values.get("scenario") is not None:
            raise BadParameter("scenario", "give --scenario or --scenario-file, not both")
        from app.defaults import default_dataset
        from app.scenarios import read_scenario

        scenario = read_scenario(Path(path), default_dataset())
        store.set_scenarios({**store.scenarios(), scenario.id: scenario})
        values["scenario"] = scenario.id
    query: SnapshotQuery = checked(SnapshotQuery, values)
    return query


# ------------------------------------------------------------------------------------ commands


def add_question_commands(sub: Any) -> None:
    """A command for each question of the registry that has one."""
    for question in QUESTIONS.values():
        if not question.command:
            continue
        p = sub.add_parser(question.name, help=question.help)
        add_options(p, {q.name: q.field for q in question.params})
        snapshot_options(p, question.alliance, question.snapshot_without(), question.descriptions)
        format_option(p)
        p.set_defaults(func=lambda args, q=question: run_question(q, args))


def run_question(question: Question, args: argparse.Namespace) -> int:
    """Ask ``question`` with a command's options and print its answer."""
    store = open_store(args)
    query = snapshot_query(store, args, question.snapshot_without(), question.defaults)
    model = params_model(f"{question.name}_parameters", question.params)
    own = checked(model, given(args, [p.name for p in question.params]))
    answer, asked = question.ask(store, query, {p.name: getattr(own, p.name) for p in question.params})
    if args.format == "table" and question.sheet is not None:
        words = question.words(answer, asked) if question.words else None
        if words:
            print(words)
        rows, notes = question.sheet(answer)
        print(table(rows, empty=(question.empty(answer, asked) if question.empty else None) or "(nothing to list)"))
        for note in notes:
            # A note is a line, or a table of its own under its heading (compare's treaty beside practice).
            if isinstance(note, str):
                print(note)
            else:
                heading, more = note
                print(f"\n{heading}")
                print(table(more))
        return 0
    emit(
        answer,
        args.format,
        question.rows,
        question.words(answer, asked) if question.words else None,
        (question.empty(answer, asked) if question.empty else None) or "(nothing to list)",
        question.show_table(answer) if question.show_table else True,
        question.columns,
    )
    return 0
