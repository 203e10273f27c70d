"""Where a dataset value is: the ``Locator`` a dataset source's value carries instead of a quote.

Its own module, below both ``graph_schema.sources`` (the source records) and
``graph_schema.codings`` (the treaty codings the roster's alliances carry), so that neither imports
the other through ``graph_schema.models``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Locator"]


class Locator(BaseModel):
    """Where a dataset value is: its file, record and variable (for a reader to check it by hand)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)

    file: str = Field(min_length=1)
    record: str = Field(min_length=1, description="The row, as the dataset keys it (e.g. atopid=3180, phase 1).")
    variable: str = Field(min_length=1)
    source_id: str | None = Field(default=None, description="The dataset it is in (filled by the loader).")
