"""The ``alliances`` command: the API's questions for scripts and terminals, plus serve/validate/load.

Every question command prints a readable table by default, or ``--format json|csv``. Exit codes:
0 on success; 1 with a one-line reason on bad input or a failed check; 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app.errors import ExplorerError
from app.questions import centrality, compare, diff, export, linkage, paths, timeline
from app.questions.centrality import METRICS, centrality_rows
from app.questions.compare import FIGURE_4, PAPER_YEAR, compare_rows
from app.questions.export import FORMATS, rows_to_csv
from app.questions.linkage import linkage_rows
from app.questions.paths import path_rows
from app.questions.timeline import diff_rows, timeline_rows
from app.seeds import SeedError, load_seeds, validate_report
from app.store.base import Store

TABLE_WIDTH = 60  # widest cell in a table before it is cut with an ellipsis


def table(rows: list[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as an aligned text table."""
    if not rows:
        return "(no rows)"
    cols = list(columns or rows[0].keys())

    def cell(v: Any) -> str:
        text = "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))
        return text if len(text) <= TABLE_WIDTH else text[: TABLE_WIDTH - 1] + "…"

    cells = [[cell(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def emit(result: Any, fmt: str, rows: Callable[[Any], list[dict[str, Any]]], summary: str | None = None) -> None:
    if fmt == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        sys.stdout.write(rows_to_csv(rows(result)))
    else:
        if summary:
            print(summary)
        print(table(rows(result)))


def _store(args: argparse.Namespace) -> Store:
    from app.api.deps import make_store
    from app.config import get_settings

    return make_store(get_settings())


def _snapshot(store: Store, args: argparse.Namespace, alliance: str | None) -> Any:
    from app.api.params import snapshot_for

    return snapshot_for(store, alliance, args.as_of, args.condition, args.include_planned, args.exclude)


def _kinds(value: str | None) -> Any:
    from app.api.params import parse_kinds

    return parse_kinds(value)


# ------------------------------------------------------------------------------------------- commands


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        dataset = load_seeds(args.seeds, args.paper)
    except SeedError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"validate: {len(err.problems)} problem(s) in the seeds", file=sys.stderr)
        return 1
    print(validate_report(dataset))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.api.deps import get_store

    # Fail here, in one line, on invalid seeds, rather than in the server's start-up traceback.
    store = get_store()
    print(
        f"alliance explorer on http://{args.host}:{args.port}/  (API docs at /docs), {store.backend} store",
        file=sys.stderr,
    )
    uvicorn.run("app.main:app", host=args.host, port=args.port, reload=False, log_level="info")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from app.store.neo4j_load import load_command

    return load_command(args)


def cmd_paths(args: argparse.Namespace) -> int:
    store = _store(args)
    store.check_organs([args.source], "source")
    store.check_organs([args.target], "target")
    result = paths(
        _snapshot(store, args, args.alliance), args.source, args.target, _kinds(args.kinds), args.max_hops, args.limit
    )
    summary = (
        f"{args.source} -> {args.target}: connected={result['connected']}, "
        f"shortest_hops={result['shortest_hops']}" + (f", absent={result['absent']}" if result["absent"] else "")
    )
    emit(result, args.format, path_rows, summary)
    return 0


def cmd_linkage(args: argparse.Namespace) -> int:
    store = _store(args)
    result = linkage(_snapshot(store, args, args.alliance), _kinds(args.kinds))
    lines = [
        f"{args.alliance} as_of={args.as_of} kinds={','.join(result['kinds'])}: linked={result['linked']}"
        + (f" in {result['shortest_hops']} hop(s)" if result["linked"] else "")
    ]
    brk = result["break"]
    if brk:
        reach = ", ".join(f"{o['acronym'] or o['name']} ({o['hops']})" for o in brk["civilian_reach"])
        lines.append(f"  break: {brk['reason']}; the civilian side reaches: {reach}")
        closers = [c["add_kind"] for c in brk["closing_kinds"] if c["linked"]]
        lines.append(f"  adding one kind closes the gap: {', '.join(closers) or 'none'}")
    emit(result, args.format, linkage_rows, "\n".join(lines))
    return 0


def cmd_centrality(args: argparse.Namespace) -> int:
    store = _store(args)
    result = centrality(_snapshot(store, args, args.alliance), args.metric, _kinds(args.kinds))
    emit(result, args.format, centrality_rows, f"{args.metric}: {result['metric_note']}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    store = _store(args)
    ids = [a.strip() for a in args.alliances.split(",") if a.strip()] if args.alliances else list(FIGURE_4)
    for a in ids:
        store.alliance(a)
    result = compare(store, ids, args.as_of)
    if args.format == "table":
        # Figure 4 reads down a column per alliance: print it transposed.
        rows = compare_rows(result)
        transposed = [{"": key, **{r["alliance"]: r[key] for r in rows}} for key in rows[0] if key != "alliance"]
        print(table(transposed))
        return 0
    emit(result, args.format, compare_rows)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    emit(timeline(_store(args), args.alliance), args.format, timeline_rows)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from app.api.params import parse_condition_param

    result = diff(
        _store(args),
        args.alliance,
        args.year_from,
        args.year_to,
        parse_condition_param(args.condition),
        args.include_planned,
    )
    lb, la = result["linkage"]["before"], result["linkage"]["after"]
    summary = (
        f"{args.alliance} {args.year_from} -> {args.year_to}: linkage by authority "
        f"{lb['linked']} ({lb['hops']} hops) -> {la['linked']} ({la['hops']} hops)"
    )
    emit(result, args.format, diff_rows, summary)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = _store(args)
    args.exclude = None
    content, _ = export(_snapshot(store, args, args.alliance), args.export_format)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(content)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def cmd_diagram(args: argparse.Namespace) -> int:
    from app.api.params import parse_kinds
    from app.api.routes.diagrams import parse_enum_list
    from app.diagram import diagram_svg, highlight_ids, resolve_highlight
    from app.snapshot import ALL_KINDS
    from graph_schema.vocabulary import Level, Nature

    store = _store(args)
    named = highlight_ids(args.highlight)
    if named:
        store.check_organs(sorted(set(named)), "highlight")
    snap = _snapshot(store, args, args.alliance)
    kinds = parse_kinds(args.kinds, default=ALL_KINDS)
    svg = diagram_svg(
        snap,
        kinds,
        resolve_highlight(snap, args.highlight, parse_kinds(args.highlight_kinds, default=kinds)),
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

    store = _store(args)
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
    written = write_figures(store, out, progress=lambda name: print(f"  {name}", file=sys.stderr))
    print(f"wrote {len(written)} figures to {out}", file=sys.stderr)
    return 0


# ------------------------------------------------------------------------------------------- parser


def _snapshot_options(p: argparse.ArgumentParser, alliance_required: bool) -> None:
    p.add_argument("--alliance", required=alliance_required, help="alliance id (nato, us-rok, us-japan, ...)")
    p.add_argument("--as-of", type=int, help="year of the snapshot (all years if omitted)")
    p.add_argument("--condition", help="any, armistice (or peacetime), wartime")
    p.add_argument("--include-planned", action="store_true", help="count planned organs and edges")
    p.add_argument("--exclude", help="comma list of organ ids to remove (what-if)")


def _format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alliances", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("serve", help="run the API (and its docs) on the embedded store, or Neo4j if NEO4J_URI is set")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("validate", help="check the seed files; print counts of organs, edges and quotes")
    p.add_argument("--seeds", type=_path, help="seeds directory (default: seeds/)")
    p.add_argument("--paper", type=_path, help="the paper's text (default: seeds/source/finnegan-2009.txt)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "load", help="validate the seeds and load them into Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD)"
    )
    p.add_argument("--seeds", type=_path)
    p.add_argument("--paper", type=_path)
    p.add_argument("--prune", action="store_true", help="remove from Neo4j what the seeds no longer hold")
    p.add_argument("--batch-size", type=int, default=2000, help="rows per transaction (default 2000)")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("paths", help="is SOURCE connected to TARGET, and how (shortest first)")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--kinds", help="comma list of edge kinds (default authority)")
    p.add_argument("--max-hops", type=int, default=6)
    p.add_argument("--limit", type=int, default=10)
    _snapshot_options(p, alliance_required=False)
    _format_option(p)
    p.set_defaults(func=cmd_paths)

    p = sub.add_parser("linkage", help="does a civilian body link to the operational commander?")
    p.add_argument("--kinds", help="comma list of edge kinds (default authority)")
    _snapshot_options(p, alliance_required=True)
    _format_option(p)
    p.set_defaults(func=cmd_linkage)

    p = sub.add_parser("centrality", help="organs ranked by a centrality measure, and articulation organs")
    p.add_argument("--metric", choices=list(METRICS), default="betweenness")
    p.add_argument("--kinds", help="comma list of edge kinds (default authority)")
    _snapshot_options(p, alliance_required=True)
    _format_option(p)
    p.set_defaults(func=cmd_centrality)

    p = sub.add_parser("compare", help="the side-by-side table of structures (figure 4, computed)")
    p.add_argument("--alliances", help="comma list (default nato,us-rok,us-japan)")
    p.add_argument("--as-of", type=int, default=PAPER_YEAR)
    _format_option(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("timeline", help="dated events of an alliance's structure")
    p.add_argument("--alliance", required=True)
    _format_option(p)
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("diff", help="what changed between two years")
    p.add_argument("--alliance", required=True)
    p.add_argument("--from", dest="year_from", type=int, required=True)
    p.add_argument("--to", dest="year_to", type=int, required=True)
    p.add_argument("--condition")
    p.add_argument("--include-planned", action="store_true")
    _format_option(p)
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("export", help="a snapshot as json, graphml, gexf, cypher or csv")
    p.add_argument("--alliance")
    p.add_argument("--as-of", type=int)
    p.add_argument("--condition")
    p.add_argument("--include-planned", action="store_true")
    p.add_argument("--format", dest="export_format", choices=list(FORMATS), default="json")
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
    _snapshot_options(p, alliance_required=True)
    p.set_defaults(func=cmd_diagram)

    p = sub.add_parser("figures", help="redraw the paper's figures 1-4 and the U.S.-ROK history charts")
    p.add_argument("--out", default="docs/figures", help="directory to write (default: docs/figures)")
    p.add_argument("--check", action="store_true", help="only check the files match the data; exit 1 if not")
    p.set_defaults(func=cmd_figures)
    return parser


def _path(value: str) -> Any:
    from pathlib import Path

    return Path(value)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except ExplorerError as err:
        print(f"alliances: {err.message}", file=sys.stderr)
        return 1
    except SeedError as err:
        print(
            f"alliances: the seeds are invalid ({len(err.problems)} problem(s)); run 'alliances validate'",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
