"""Fingerprints of every answer the explorer gives over a grid of questions, to compare two versions.

A refactor promises "every answer and export byte-identical before and after"; this checks it. It asks
the real app (over ASGI, on the embedded store, or on Neo4j with ``NEO4J_URI``) every question route,
every export format, every picture and the CLI's tables over the seed alliances x years x conditions x
existence x scenarios, and writes one line per request: the URL, the status and a hash of the body.

    python -m scripts.fingerprint -o /tmp/after.json             # this checkout
    cd /tmp/main-checkout && PYTHONPATH=. /path/.venv/bin/python -m scripts.fingerprint -o /tmp/before.json
    python -m scripts.fingerprint --compare /tmp/before.json /tmp/after.json

``--drop FIELD`` (repeatable) removes a key wherever it occurs in a JSON answer before hashing (an
answer that only gained fields then hashes as before); ``--strip-legend`` hashes SVG without its
``<g class="legend">`` group; ``--quick`` asks fewer years. Run from the repository root with ``-m``
so the checkout in the current directory is the one imported.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import re
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

YEARS = [
    1949,
    1950,
    1952,
    1955,
    1960,
    1969,
    1975,
    1978,
    1985,
    1990,
    1992,
    1994,
    1995,
    1997,
    2002,
    2005,
    2009,
    2012,
    2015,
]
QUICK_YEARS = [1955, 1975, 1985, 1995, 2009, 2015]
CONDITIONS = [None, "armistice", "wartime"]
EXISTENCE = ["possible", "certain"]
KIND_SETS = ["authority", "authority,coordination", "authority,advice,coordination,support,membership"]
METRICS = ["betweenness", "degree", "closeness", "pagerank"]
EXPORTS = ["json", "graphml", "gexf", "cypher", "csv"]


def _url(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v is not None and v is not False}
    return path + ("?" + urlencode(kept) if kept else "")


def requests(
    alliances: list[str], scenarios: dict[str, str], years: list[int], organs: dict[str, list[str]]
) -> Iterator[str]:
    """Every URL of the grid, in a fixed order."""
    yield "/health"
    yield "/alliances"
    yield "/alliances.csv"
    yield "/indicators"
    yield "/indicators.csv"
    yield "/scenarios"
    yield "/scenarios.csv"
    for sid in scenarios:
        yield f"/scenarios/{sid}"
    yield _url("/compare")
    for year in [None, *years]:
        for existence in EXISTENCE:
            yield _url("/compare", as_of=year, existence=existence)
            yield _url("/compare.csv", as_of=year, existence=existence, alliances=",".join(alliances))
    for a in alliances:
        yield f"/alliances/{a}"
        yield _url("/timeline", alliance=a)
        yield _url("/timeline.csv", alliance=a)
        yield _url("/organs", alliance=a)
        yield _url("/diff", alliance=a)
        own = [None, *(s for s, al in scenarios.items() if al == a)]
        for year in [None, *years]:
            yield _url("/organs", alliance=a, as_of=year)
            for condition in CONDITIONS:
                for existence in EXISTENCE:
                    for scenario in own:
                        q = {"as_of": year, "condition": condition, "existence": existence, "scenario": scenario}
                        yield _url(f"/alliances/{a}/organs", **q)
                        for kinds in KIND_SETS:
                            yield _url("/linkage", alliance=a, kinds=kinds, **q)
                        yield _url("/linkage.csv", alliance=a, **q)
                        for metric in METRICS:
                            yield _url("/centrality", alliance=a, metric=metric, kinds=KIND_SETS[-1], **q)
                        for fmt in EXPORTS:
                            yield _url("/export", alliance=a, format=fmt, **q)
                        yield _url(f"/alliances/{a}/diagram.svg", **q)
                        yield _url(f"/alliances/{a}/diagram.svg", highlight="linkage", **q)
                        ids = organs.get(a, [])
                        for src in ids[:3]:
                            for dst in ids[-3:]:
                                if src != dst:
                                    yield _url("/paths", source=src, target=dst, kinds=KIND_SETS[-1], **q)
                for scenario in own:
                    yield _url("/diff", alliance=a, as_of=year, scenario=scenario, condition=condition)
            if year is not None:
                for later in [y for y in years if y > year][:2]:
                    yield _url("/diff", alliance=a, **{"from": year, "to": later})
        yield _url("/export", alliance=a, format="cypher", include_planned="true")
    for fmt in EXPORTS:
        yield _url("/export", format=fmt)


def _drop(node: Any, fields: set[str]) -> Any:
    if isinstance(node, dict):
        return {k: _drop(v, fields) for k, v in node.items() if k not in fields}
    if isinstance(node, list):
        return [_drop(v, fields) for v in node]
    return node


_LEGEND = re.compile(r'<g class="legend"')


def _strip_legend(svg: str) -> str:
    start = _LEGEND.search(svg)
    if start is None:
        return svg
    depth, i = 0, start.start()
    for m in re.finditer(r"<g[\s>]|</g>", svg[i:]):
        depth += 1 if m.group().startswith("<g") else -1
        if depth == 0:
            return svg[: start.start()] + svg[i + m.end() :]
    return svg


def digest(body: bytes, content_type: str, drop: set[str], strip_legend: bool) -> str:
    if drop and "json" in content_type:
        with contextlib.suppress(ValueError):
            body = json.dumps(_drop(json.loads(body), drop), sort_keys=False, ensure_ascii=False).encode()
    if strip_legend and "svg" in content_type:
        body = _strip_legend(body.decode()).encode()
    return hashlib.sha256(body).hexdigest()[:20]


def _items(answer: Any) -> list[Any]:
    """A list answer as it is, or the first list in an answer that wraps it in an object."""
    if isinstance(answer, list):
        return answer
    return next((v for v in answer.values() if isinstance(v, list)), [])


def run(args: argparse.Namespace) -> dict[str, str]:
    from fastapi.testclient import TestClient

    from app.main import app

    out: dict[str, str] = {}
    with TestClient(app, raise_server_exceptions=False) as client:
        alliances = [a["id"] for a in _items(client.get("/alliances").json())]
        scenarios = {s["id"]: s["alliance"] for s in _items(client.get("/scenarios").json())}
        organs: dict[str, list[str]] = {}
        for a in alliances:
            organs[a] = sorted(o["id"] for o in _items(client.get(f"/alliances/{a}/organs").json()))
        years = QUICK_YEARS if args.quick else YEARS
        started = time.monotonic()
        for n, url in enumerate(requests(alliances, scenarios, years, organs), 1):
            r = client.get(url)
            out[url] = f"{r.status_code} " + digest(
                r.content, r.headers.get("content-type", ""), set(args.drop), args.strip_legend
            )
            if r.status_code >= 500:
                print(f"{r.status_code}: {url}", file=sys.stderr)
            if n % 2000 == 0:
                print(f"{n} requests, {time.monotonic() - started:.0f} s", file=sys.stderr)
    return out


def compare(before: dict[str, str], after: dict[str, str]) -> int:
    differ = [u for u in before if u in after and before[u] != after[u]]
    only_before = [u for u in before if u not in after]
    only_after = [u for u in after if u not in before]
    for u in differ[:200]:
        print(f"differs: {u}  {before[u]} -> {after[u]}")
    for u in only_before[:50]:
        print(f"only before: {u}")
    for u in only_after[:50]:
        print(f"only after: {u}")
    same = sum(1 for u in before if after.get(u) == before[u])
    print(f"{same} same, {len(differ)} differ, {len(only_before)} only before, {len(only_after)} only after")
    return 1 if differ or only_before or only_after else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-o", "--output", help="write the fingerprints here (JSON); default standard output")
    parser.add_argument("--drop", action="append", default=[], help="a JSON key removed before hashing")
    parser.add_argument("--strip-legend", action="store_true", help="hash SVG without its legend group")
    parser.add_argument("--quick", action="store_true", help="fewer years")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="compare two fingerprint files")
    args = parser.parse_args(argv)
    if args.compare:
        with open(args.compare[0]) as f, open(args.compare[1]) as g:
            return compare(json.load(f), json.load(g))
    result = run(args)
    text = json.dumps(result, indent=0, sort_keys=False)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
        print(f"{len(result)} requests fingerprinted -> {args.output}", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
