"""The ``alliances`` command: the API's questions for scripts and terminals, plus serve/validate/load.

Every question command prints a readable table by default, or ``--format json|csv``. Exit codes:
0 on success; 1 with a one-line reason on bad input or a failed check; 2 for usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.cli_questions import (
    add_question_commands,
    counted_store,
    format_option,
    open_store,
    snapshot_options,
    snapshot_query,
    sources_option,
)
from app.cli_table import emit, table
from app.dataset import validate_report
from app.errors import BadParameter, ExplorerError, StoreUnavailable
from app.problems import SeedError
from app.progress import stderr_progress
from app.questions import export, indicators
from app.questions.explain import QUALIFIER, alliance_label, disputed_words, in_year
from app.questions.export import FORMATS, counts_plans, rows_to_csv
from app.questions.indicators import INDICATOR_COLUMNS, indicator_rows
from app.seeds import load_seeds
from graph_schema.vocabulary import PAPER_ID

DESCRIPTION = "The alliance structure explorer's questions for scripts and terminals, plus serve, validate and load."
EPILOG = (
    "Each question prints a readable table by default, or --format json|csv. Organs and alliances may be named "
    "by id, acronym, alias or in any case (NAC, saceur, NATO, ROK). 'alliances COMMAND --help' for a command's "
    "options. Exit codes: 0 on success; 1 with a one-line reason on bad input or a failed check; 2 on a usage error."
)


def _quiet_driver() -> None:
    """The Neo4j driver logs each retry as a warning; a command says what failed in its own one line."""
    import logging
    import warnings

    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", module="neo4j")


def _unreachable_line(err: StoreUnavailable) -> str:
    from app.config import get_settings
    from app.redact import redact_uri

    uri = get_settings().neo4j_uri
    where = f" (NEO4J_URI={redact_uri(uri)}; unset NEO4J_URI to use the embedded store)" if uri else ""
    return f"alliances: {err.message}{where}"


# ------------------------------------------------------------------------------------------- commands


def sources_dirs(args: argparse.Namespace) -> list[Path]:
    """The analysts' source folders a command reads beside the seeds: ``--sources-dir DIR``, else
    ``$ALLIANCE_SOURCES_DIR`` (docs/sources.md); none by default."""
    from app.config import get_settings

    given = getattr(args, "sources_dir", None)
    if given is not None:
        return [given]
    configured = get_settings().alliance_sources_dir
    return [configured] if configured is not None else []


def sources_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources-dir",
        type=_path,
        help="a folder of analysts' source folders (or one), read and checked beside the seeds, all or nothing "
        "(default: $ALLIANCE_SOURCES_DIR; none)",
    )


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        dataset = load_seeds(args.seeds, args.paper, sources_dirs(args))
    except SeedError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"validate: {err.counted()}", file=sys.stderr)
        return 1
    print(validate_report(dataset))
    # The scenarios are checked like the seeds, against them (scenarios/, or $ALLIANCE_SCENARIOS_DIR).
    from app.config import default_scenarios_dir
    from app.scenarios import load_scenarios

    try:
        scenarios = load_scenarios(default_scenarios_dir(), dataset)
    except SeedError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"validate: {len(err.problems)} problem(s) in the scenarios", file=sys.stderr)
        return 1
    whose = sum(1 for s in scenarios.values() if s.proposed_by == "paper")
    print(f"{len(scenarios)} scenarios ({whose} of the paper's recommendations), every quote found verbatim")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from app.api.deps import get_store
    from app.ports import port_taken
    from app.serve import run_server

    busy = port_taken(args.host, args.port)
    if busy:
        print(
            f"alliances serve: port {args.port} on {args.host} is in use ({busy}); choose another with "
            f"--port N (make serve PORT=N)",
            file=sys.stderr,
        )
        return 1
    if args.workers < 1:
        print(f"alliances: --workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 1
    # Every worker is a process of its own that imports app.main:app, reads its settings from the
    # environment and builds its store in its lifespan (validating the seeds there too); it learns
    # how many siblings it has from ALLIANCE_WORKERS (the embedded store then refuses a reload).
    os.environ["ALLIANCE_WORKERS"] = str(args.workers)
    if args.sources_dir is not None:  # every worker reads its source folders from its environment
        os.environ["ALLIANCE_SOURCES_DIR"] = str(args.sources_dir.resolve())
    # Fail here, in one line, on invalid seeds, rather than in the server's start-up traceback.
    store = get_store()
    workers = f", {args.workers} worker processes" if args.workers > 1 else ""
    print(
        f"alliance explorer on http://{args.host}:{args.port}/  (API docs at /docs), {store.backend} store{workers}",
        file=sys.stderr,
    )
    run_server("app.main:app", args.host, args.port, args.workers)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from app.store.load_command import load_command

    args.sources_dirs = sources_dirs(args)
    return load_command(args)


def cmd_scenarios(args: argparse.Namespace) -> int:
    from app.api.routes.scenarios import SCENARIO_COLUMNS, scenario_summary

    store = open_store(args)
    if args.file:
        from app.defaults import default_dataset
        from app.scenarios import read_scenario

        scenario = read_scenario(Path(args.file), default_dataset())
        data = [scenario_summary(scenario)]
        summary = f"{args.file}: scenario {scenario.id!r} is valid (it is not installed)"
    else:
        data = [scenario_summary(s) for s in store.scenarios().values()]
        summary = f"{len(data)} scenarios (the paper's recommendations, and analysts' own)"
    rows = [{k: (" | ".join(v) if k == "sources" else v) for k, v in r.items() if k in SCENARIO_COLUMNS} for r in data]
    emit(data, args.format, lambda _: rows, summary)
    return 0


def cmd_organs(args: argparse.Namespace) -> int:
    from app.api.routes.alliances import ORGAN_COLUMNS
    from app.parse import parse_enum_list, parse_existence
    from app.questions.common import organ_row
    from app.questions.organs import organs
    from graph_schema.vocabulary import Level, Nature

    if args.text is not None:
        if args.q is not None:
            raise BadParameter("q", "give the text once, as --q or as the argument")
        args.q = args.text
    store = counted_store(open_store(args), args)
    alliance = store.resolve_alliance(args.alliance) if args.alliance else None
    natures = parse_enum_list(args.nature, Nature, "nature")
    levels = parse_enum_list(args.level, Level, "level")
    if (natures and len(natures) > 1) or (levels and len(levels) > 1):
        raise BadParameter("nature" if natures and len(natures) > 1 else "level", "give one value")
    existence = parse_existence(args.existence)
    nature, level = natures[0] if natures else None, levels[0] if levels else None
    result = organs(store, args.q, alliance, nature, level, args.as_of, existence)
    asked = [f"{k} {v!r}" for k, v in (("matching", args.q), ("nature", args.nature), ("level", args.level)) if v]
    scope = f" in {alliance_label(store.alliance(alliance))}" if alliance else ""
    certain = ", certain only" if existence.value == "certain" else ""
    where = f"{scope} {in_year(args.as_of)}{certain}" + (f", {', '.join(asked)}" if asked else "")
    what = f"organs{where}"
    summary = (f"1 organ{where}" if len(result) == 1 else f"{len(result)} {what}") if result else None
    columns = [
        "id",
        "acronym",
        "name",
        "type",
        "alliance",
        "nation",
        "nature",
        "level",
        "existence",
        "existence_rule",
        "status",
    ]

    def rows(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
        cols = columns if args.format == "table" else ORGAN_COLUMNS
        return [{c: organ_row(d).get(c) for c in cols} for d in data]

    # An empty year is the paper's silence, not an absence; an unmatched name is only that.
    counted = store.counted_sources()
    whose = "the paper reports" if counted == (PAPER_ID,) else f"the sources counted ({', '.join(counted)}) report"
    empty = f"{whose} no {what} {QUALIFIER}" if args.as_of is not None else f"no {what}"
    emit(result, args.format, rows, summary, empty=empty)
    if args.format == "table":
        for line in disputed_words(result, args.as_of):  # each source's words, where they disagree
            print(line)
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    result = indicators(counted_store(open_store(args), args), args.alliance, args.measure)
    if args.format == "table":
        rows = [
            {
                "alliance": r["alliance"],
                "measure": r["measure"],
                "figure": f"{r['label']}, {r['year_label']}",
                "scope": r["scope_label"] + (f" ({r['scope_note']})" if r["scope_note"] else ""),
                "line": ", ".join(sorted({str(s["line"]) for s in r["sources"] if s.get("line") is not None}, key=int)),
                "quote": r["sources"][0]["quote"],
            }
            for r in result["indicators"]
        ]
        print(f"{result['count']} indicator(s), each as the paper words it")
        print(table(rows))
        return 0
    if args.format == "csv":
        sys.stdout.write(rows_to_csv(indicator_rows(result), INDICATOR_COLUMNS))
        return 0
    emit(result, args.format, indicator_rows)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from app.questions.sources import SOURCE_COLUMNS, source, source_rows, sources

    store = open_store(args)
    shown = list(SOURCE_COLUMNS) if args.format == "csv" else ["id", "kind", "title", "date", "organs", "edges"]

    def rows(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{c: r.get(c) for c in shown} for r in source_rows(data)]

    if args.source_id is None:
        data = sources(store)
        summary = f"{len(data)} source(s), the paper first; an analyst's is shown as theirs, never as the paper's"
        emit(data, args.format, rows, summary, columns=shown)
        return 0
    one = source(store, args.source_id)
    if args.format == "json":
        emit(one, "json", rows)
        return 0
    emit([one], args.format, rows, columns=shown)
    if args.format == "table":
        for what in ("organs", "edges"):
            print(f"{what} it claims: {', '.join(one['claims'][what]) or '(none)'}")
    return 0


EXPORT_WITHOUT = ["exclude", "include_planned"]  # plans: as the format counts them (counts_plans)


def cmd_export(args: argparse.Namespace) -> int:
    store = open_store(args)
    planned = counts_plans(args.export_format, args.include_planned)
    query = snapshot_query(store, args, EXPORT_WITHOUT, {"include_planned": planned})
    content, _ = export(query.snapshot(store), args.export_format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(content)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def cmd_diagram(args: argparse.Namespace) -> int:
    from app.diagram import diagram_svg, resolve_highlight
    from app.parse import parse_enum_list, parse_highlight, parse_kinds
    from app.snapshot import ALL_KINDS
    from graph_schema.vocabulary import Level, Nature

    store = open_store(args)
    snap = snapshot_query(store, args).snapshot(store)
    highlight = parse_highlight(args.highlight, store, snap.params.scenario)
    kinds = parse_kinds(args.kinds, default=ALL_KINDS)
    svg = diagram_svg(
        snap,
        kinds,
        resolve_highlight(
            snap, highlight, parse_kinds(args.highlight_kinds, default=kinds, parameter="highlight_kinds")
        ),
        args.title,
        levels=parse_enum_list(args.levels, Level, "levels"),
        natures=parse_enum_list(args.natures, Nature, "natures"),
        connected_only=args.connected_only,
    )
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(svg)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(svg)
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.figures import stale_figures, write_figures

    store = open_store(args)
    out = Path(args.out)
    if args.check:
        stale = stale_figures(store, out)
        if stale:
            print(
                f"alliances: figures out of date in {out}: {', '.join(stale)}; run 'alliances figures'", file=sys.stderr
            )
            return 1
        print(f"figures in {out} match the data", file=sys.stderr)
        return 0
    written = write_figures(store, out, progress=stderr_progress())
    print(f"wrote {len(written)} figures to {out}", file=sys.stderr)
    return 0


# ------------------------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alliances", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the API (and its docs) on the embedded store, or Neo4j if NEO4J_URI is set")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API processes (one per core); over Neo4j they stay consistent, each following a load within 1 s",
    )
    sources_dir_option(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("validate", help="check the seed files; print counts of organs, edges and quotes")
    p.add_argument("--seeds", type=_path, help="seeds directory (default: seeds/)")
    p.add_argument("--paper", type=_path, help="the paper's text (default: seeds/source/finnegan-2009.txt)")
    sources_dir_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "load", help="validate the seeds and load them into Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)"
    )
    p.add_argument("--seeds", type=_path, help="seeds directory (default: seeds/)")
    p.add_argument("--paper", type=_path, help="the paper's text (default: seeds/source/finnegan-2009.txt)")
    p.add_argument("--prune", action="store_true", help="remove from Neo4j what the seeds no longer hold")
    p.add_argument(
        "--batch-size",
        type=int,
        default=2000,
        help="rows per transaction while the new generation is written (default 2000)",
    )
    sources_dir_option(p)
    p.set_defaults(func=cmd_load)

    add_question_commands(sub)

    p = sub.add_parser(
        "organs", aliases=["search"], help="search organs by acronym, name or alias (the /organs search)"
    )
    p.add_argument("text", nargs="?", help="the same as --q: 'alliances search SACEUR'")
    p.add_argument("--q", help="text found in the acronym, name or an alias (case-insensitive)")
    p.add_argument("--alliance", help="only this alliance's organs (its own, plus national organs one edge away)")
    p.add_argument("--nature", help="civilian, military, parliamentary, non-governmental")
    p.add_argument("--level", help="political, strategic, operational, component, working, support, civil-society")
    p.add_argument("--as-of", type=int, help="only organs alive in this year")
    p.add_argument(
        "--existence",
        choices=["possible", "certain"],
        default="possible",
        help="certain: only what the paper places in the year; possible (default): also what it leaves possible",
    )
    sources_option(p)
    format_option(p)
    p.set_defaults(func=cmd_organs)

    p = sub.add_parser("scenarios", help="the scenarios questions can be asked of (the paper's and analysts')")
    p.add_argument("--file", help="check an analyst's scenario file and show it, without installing it")
    format_option(p)
    p.set_defaults(func=cmd_scenarios)

    p = sub.add_parser("indicators", help="the paper's benchmarks beyond structure: travellers, trade, students, ...")
    p.add_argument("--alliance", help="only this alliance's indicators")
    p.add_argument("--measure", help="only this measure (e.g. merchandise-trade)")
    sources_option(p)
    format_option(p)
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("sources", help="the sources the data rests on (the paper, datasets, analysts' own)")
    p.add_argument("source_id", nargs="?", help="one source: its record and the ids it claims")
    format_option(p)
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("export", help="a snapshot as json, graphml, gexf, cypher or csv")
    snapshot_options(p, without=EXPORT_WITHOUT)
    p.add_argument(
        "--include-planned",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="count planned organs and edges (default: only --format cypher does, as `load` writes them)",
    )
    p.add_argument(
        "--format",
        dest="export_format",
        choices=list(FORMATS),
        default="json",
        help="json (node-link), graphml, gexf (time spells for Gephi), cypher (builds what `load` builds) or csv",
    )
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("diagram", help="an alliance's organisation chart in a year, as SVG")
    p.add_argument("--kinds", help="comma list of edge kinds drawn (default: all)")
    p.add_argument("--highlight", help="linkage, path:SOURCE,TARGET, or a comma list of organ ids")
    p.add_argument("--highlight-kinds", help="edge kinds the highlight's question walks (default: those drawn)")
    p.add_argument("--levels", help="comma list of levels drawn (default: all)")
    p.add_argument("--natures", help="comma list of natures drawn (default: all)")
    p.add_argument("--connected-only", action="store_true", help="leave out organs no drawn edge touches")
    p.add_argument("--title", help="replace the default title")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")
    snapshot_options(p, "required")
    p.set_defaults(func=cmd_diagram)

    p = sub.add_parser("figures", help="redraw the paper's figures 1-4 and the U.S.-ROK history charts")
    p.add_argument("--out", default="docs/figures", help="directory to write (default: docs/figures)")
    p.add_argument("--check", action="store_true", help="only check the files match the data; exit 1 if not")
    p.set_defaults(func=cmd_figures)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("alliance-explorer")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _path(value: str) -> Any:
    from pathlib import Path

    return Path(value)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_driver()
    try:
        code: int = args.func(args)
        return code
    except StoreUnavailable as err:
        print(_unreachable_line(err), file=sys.stderr)
        return 1
    except ExplorerError as err:
        print(f"alliances: {err.message}", file=sys.stderr)
        return 1
    except SeedError as err:
        if err.kind != "seeds":
            # An analyst's scenario file (--scenario-file): every problem, each with file, line and field.
            for problem in err.problems:
                print(problem, file=sys.stderr)
        print(f"alliances: {err.summary()}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as err:  # anything else: one line, never a traceback that could quote a secret
        from app.redact import redact_text

        reason = redact_text(" ".join(str(err).split()))
        print(
            f"alliances: {type(err).__name__}: {reason}" if reason else f"alliances: {type(err).__name__}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
