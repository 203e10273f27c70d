"""The CSV export, read whole by pandas as analysts read it (issue 28 item 4; CONTRACT.md §2 "Exports").

One table, one row per organ and per edge, with every field of the JSON export of the same
snapshot: fetched over the API (the embedded store), read by ``pd.read_csv``, compared field by
field; the quotes it carries are the paper's, at their lines.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app
from app.seeds import Paper, default_paper_path, default_seeds_dir
from app.store.embedded import EmbeddedStore
from tests.test_export_clients import _query, fetch


@pytest.fixture(scope="module")
def api(embedded: EmbeddedStore) -> Iterator[TestClient]:
    set_store(embedded)
    try:
        with TestClient(app) as c:
            yield c
    finally:
        set_store(None)


def csv_export(api: TestClient, alliance: str | None, year: int | None, **read: Any) -> pd.DataFrame:
    """The CSV export as an analyst reads it: ``pd.read_csv`` (with ``read``'s options)."""
    return pd.read_csv(io.StringIO(fetch(api, f"/export?{_query(alliance, as_of=year, format='csv')}")), **read)


@pytest.mark.parametrize(("alliance", "year"), [("us-rok", 1955), ("nato", 2015), ("us-japan", None), (None, 2009)])
def test_pandas_reads_the_csv_export_whole(api: TestClient, alliance: str | None, year: int | None) -> None:
    """Every field of every organ and edge of the JSON export, one row each: read as text (no type
    guessing), each cell gives back the JSON's value (a list or object as its JSON text, a null as
    an empty cell, how sure the paper is in the ``existence_*`` and ``status_*`` columns)."""
    data = json.loads(fetch(api, f"/export?{_query(alliance, as_of=year, format='json')}"))
    df = csv_export(api, alliance, year, dtype=str, keep_default_na=False)
    assert list(df["element"]) == ["organ"] * len(data["nodes"]) + ["edge"] * len(data["edges"])
    rows = {(r["element"], r["id"]): r for r in df.to_dict("records")}
    assert len(rows) == len(df)
    for element, records in (("organ", data["nodes"]), ("edge", data["edges"])):
        for record in records:
            row = rows[element, record["id"]]
            for name, want in record.items():
                if name == "key":
                    continue
                if name in ("existence_why", "status_why"):
                    prefix = name.removesuffix("_why")
                    for part, value in want.items():
                        assert row[f"{prefix}_{part}"] == _text(value), (record["id"], name, part)
                elif isinstance(want, list | dict):
                    assert json.loads(row[name]) == want, (record["id"], name)
                else:
                    assert row[name] == _text(want), (record["id"], name, row[name], want)
            first = record["sources"][0] if record["sources"] else {}
            assert (row["quote"], row["line"]) == (_text(first.get("quote")), _text(first.get("line")))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def test_pandas_csv_us_rok_1955_holds_every_organ_of_the_snapshot(api: TestClient) -> None:
    """Issue 28: "U.S.-ROK 1955: 2 rows naming 3 organs where the API has 14". The UNC, "established
    in 1950 to defeat North Korean aggression and led by a four-star U.S. General", is there with its
    command edge, and so is every organ the API lists for 1955, edges or none; with pandas' defaults,
    as an analyst reads it."""
    df = csv_export(api, "us-rok", 1955)
    organs = df[df["element"] == "organ"]
    edges = df[df["element"] == "edge"]
    listed = json.loads(fetch(api, "/alliances/us-rok/organs?as_of=1955"))
    assert sorted(organs["id"]) == sorted(o["id"] for o in listed) and len(listed) > 3
    assert "us-rok.commander-unc:authority:command:us-rok.unc" in set(edges["id"])
    assert set(edges["source"]) | set(edges["target"]) <= set(organs["id"])
    unc = organs.set_index("id").loc["us-rok.unc"]
    assert unc["established"] == 1950 and unc["existence"] in ("certain", "possible")
    assert set(organs["existence"]) <= {"certain", "possible"} and set(edges["existence"]) <= {"certain", "possible"}


def test_every_quote_of_the_csv_is_the_papers_at_its_line(api: TestClient) -> None:
    """The quotes the CSV carries (``sources``: every quote of each organ and edge, with its line)
    are the paper's words, verbatim, beginning on that line."""
    paper = Paper.from_file(default_paper_path(default_seeds_dir()))
    lines = paper.text.splitlines()
    df = csv_export(api, None, None, dtype=str, keep_default_na=False)
    quotes = [s for cell in df["sources"] for s in json.loads(cell)]
    assert len(quotes) >= len(df)
    for source in quotes:
        assert paper.contains(source["quote"]), source
        first_word = Paper.normalise(source["quote"]).split()[0]
        assert first_word in Paper.normalise(lines[source["line"] - 1]), source
