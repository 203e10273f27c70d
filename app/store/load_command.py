"""``alliances load``: validate the seeds and the scenarios, then load the seeds into the Neo4j of the environment
(``neo4j_load.load``)."""

from __future__ import annotations

import sys
from typing import Any

from app.progress import stderr_progress
from app.store.neo4j_driver import open_driver
from app.store.neo4j_load import DEFAULT_BATCH_SIZE, LoadAborted, load


def load_command(args: Any) -> int:
    """``alliances load``: validate the seeds and the scenarios (``$ALLIANCE_SCENARIOS_DIR`` or
    ``scenarios/``) against them, then load the seeds into the Neo4j of the environment.

    Reads ``NEO4J_URI`` (default ``bolt://127.0.0.1:7687``, the local server of ``neo4j_local``),
    ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``. Exit codes: 0 loaded; 1 invalid
    seeds or scenarios (the database is not touched), or Neo4j unreachable or failing (one line on
    stderr).
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from app.config import get_settings
    from app.problems import SeedError
    from app.seeds import load_seeds

    try:
        # The analysts' source folders (--sources-dir, else $ALLIANCE_SOURCES_DIR), with the seeds.
        dataset = load_seeds(args.seeds, args.paper, getattr(args, "sources_dirs", []))
    except SeedError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"load: {err.counted()}; Neo4j was not touched", file=sys.stderr)
        return 1
    # The scenarios are read beside the data by every API process over it: checked against the
    # seeds being loaded, so a load never leaves the API with scenarios its data cannot carry.
    from app.config import default_scenarios_dir
    from app.scenarios import load_scenarios

    try:
        load_scenarios(default_scenarios_dir(), dataset)
    except SeedError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"load: {len(err.problems)} problem(s) in the scenarios; Neo4j was not touched", file=sys.stderr)
        return 1

    settings = get_settings()
    uri = settings.neo4j_uri or "bolt://127.0.0.1:7687"
    batch_size = getattr(args, "batch_size", DEFAULT_BATCH_SIZE)
    if batch_size < 1:
        print(f"load: --batch-size must be at least 1, got {batch_size}", file=sys.stderr)
        return 1
    from app.redact import credentials_problem, one_line, redact_uri

    refused = credentials_problem(uri)
    if refused:  # before anything is printed or the driver sees it: its messages quote the URI
        print(f"load: NEO4J_URI cannot be used: {refused}; Neo4j was not touched", file=sys.stderr)
        return 1
    print(
        f"loading {len(dataset.organs)} organs and {len(dataset.edges)} edges into {redact_uri(uri)}", file=sys.stderr
    )
    driver = open_driver(
        uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_timeout_seconds, settings.neo4j_trusted_ca
    )
    try:
        driver.verify_connectivity()
        counts = load(
            driver,
            dataset,
            database=settings.neo4j_database,
            prune=bool(getattr(args, "prune", False)),
            batch_size=batch_size,
            progress=stderr_progress(),
        )
    except (DriverError, Neo4jError, OSError) as err:
        print(f"load: Neo4j at {redact_uri(uri)} failed, nothing was written: {one_line(err)}", file=sys.stderr)
        return 1
    except LoadAborted as err:
        print(f"load: {one_line(err)}; Neo4j at {redact_uri(uri)} serves the graph it served before", file=sys.stderr)
        return 1
    finally:
        driver.close()
    print(
        f"loaded {counts['alliances']} alliances, {counts['organs']} organs, {counts['edges']} edges "
        f"in {counts['seconds']:.2f} s: created {counts['created']}, updated {counts['updated']}, "
        f"unchanged {counts['unchanged']}, pruned {counts['pruned']}"
        + (f"; {counts['stale']} not in the seeds kept (use --prune to remove)" if counts["stale"] else "")
    )
    return 0
