"""The Neo4j schema: the constraints and indexes of ``graph_schema/generated/constraints.cypher``, applied first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph_schema.generate import GENERATED

CONSTRAINTS_FILE = GENERATED / "constraints.cypher"
SCHEMA_WAIT_SECONDS = 60


def schema_statements(path: Path = CONSTRAINTS_FILE) -> list[str]:
    """The statements of the generated constraints file, comments dropped, one per ``;``.

    Examples
    --------
    >>> stmts = schema_statements()
    >>> stmts[0].startswith("CREATE CONSTRAINT organ_id IF NOT EXISTS")
    True
    >>> all(" IF NOT EXISTS " in s for s in stmts)
    True
    """
    text = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")
    )
    return [stmt.strip() for stmt in text.split(";") if stmt.strip()]


_LEGACY_CONSTRAINTS = (
    "SHOW CONSTRAINTS YIELD name, properties WHERE name IN ['organ_id', 'alliance_id'] AND properties = ['id'] "
    "RETURN name"
)


def apply_schema(driver: Any, database: str, bookmark_manager: Any = None) -> int:
    """Create the constraints and indexes (idempotent); returns how many statements ran.

    Each runs in its own auto-commit transaction: Neo4j does not allow schema and data writes in
    one transaction.
    """
    statements = schema_statements()
    with driver.session(database=database, bookmark_manager=bookmark_manager) as session:
        # Before load generations ids were unique on their own; two generations hold the same ids.
        for name in session.run(_LEGACY_CONSTRAINTS).value("name"):
            session.run(f"DROP CONSTRAINT {name} IF EXISTS").consume()
        for stmt in statements:
            session.run(stmt).consume()
        # A new index fills in the background; wait, so that the first load's MERGEs and the first
        # fulltext searches use it rather than racing it.
        session.run("CALL db.awaitIndexes($seconds)", seconds=SCHEMA_WAIT_SECONDS).consume()
    return len(statements)
