"""Time as a source gives it: lives, bounds, attested years and status periods (CONTRACT.md §1).

The paper dates some things ("established in 1950"), bounds others ("later", "in the mid-1990s",
"in at least eight years"), and describes most of today's structure in its present tense, which
attests the year of its date (February 2009: 2009) and nothing earlier. These models keep the three
apart and never turn silence into a year: a ``Point`` (when a life or period starts or ends) is a
year the source gives, or inclusive bounds it implies, each bound with the words that imply it, or
unknown. Every source (``graph_schema.sources``) writes its claims in these models; each point,
bound, attested year and period carries the ``source_id`` of the source that states it.

Bounds are the source of truth. Each point is also given as an EDTF (ISO 8601-2) expression derived
from them (``1954``, ``[1994..1996]``, ``[..2001]``, ``[1970..]``, blank for unknown), written here
and checked with the ``edtf`` library; it is never parsed back into bounds.

Ends follow the convention of the whole vocabulary: a thing holds on ``start <= year < end``, so an
end year is the first year it no longer holds ("In 1994, 'peacetime OPCON' was withdrawn": the edge
holds until 1993). What these years *mean* in a snapshot (certain, possible, absent) is decided by
the rules in ``app.snapshot``, written once there.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic.json_schema import SkipJsonSchema

from graph_schema.vocabulary import Status

Year = Annotated[int, Field(ge=1900, le=2100)]
PRESENT = "present"
"""Written for an attested year: the present tense of the source, i.e. the year of its ``date``
(the paper's, February 2009: 2009). The loader passes that year as the validation context
``present_year``; a text source's present tense attests nothing else."""


def _source_id() -> Any:
    # Which source states a point, bound, attested year or period: filled by the loader from the
    # folder the claim is in (never written in a seed), so a pooled life keeps whose each part is.
    return Field(default=None, description="The source that states it (filled by the loader).")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class Bound(_Model):
    """An inclusive limit on a year that the paper implies, with the words that imply it.

    A bound may be written relative to another organ's or edge's start or end, as the paper words it
    ("complemented later by the establishment of the MCM": not before the SCM's start); the loader
    resolves it into ``year`` (plus ``offset``), so ``year`` is always the number that counts.
    """

    year: Year | None = Field(default=None, description="The inclusive bound (filled from relative_to when given).")
    relative_to: str | None = Field(default=None, description="Id of the organ or edge this bound follows from.")
    anchor: Literal["start", "end"] = Field(default="start", description="Which point of relative_to.")
    offset: int = Field(default=0, ge=-100, le=100, description="Years added to the anchor's year.")
    quote: str | None = Field(default=None, min_length=8, description="Verbatim words of the paper implying it.")
    note: str | None = None
    source_id: SkipJsonSchema[str | None] = _source_id()

    @model_validator(mode="after")
    def _year_or_reference(self) -> Bound:
        if self.year is None and self.relative_to is None:
            raise ValueError("a bound needs a year or relative_to")
        return self


class Point(_Model):
    """When a life or period starts (or ends): a stated year, bounds, or unknown (all empty)."""

    year: Year | None = Field(default=None, description="The year the paper gives.")
    quote: str | None = Field(default=None, min_length=8, description="The words that give the year.")
    not_before: Bound | None = None
    not_after: Bound | None = None
    source_id: SkipJsonSchema[str | None] = _source_id()

    @model_validator(mode="after")
    def _consistent(self) -> Point:
        if self.year is not None and (self.not_before is not None or self.not_after is not None):
            raise ValueError("a point is a stated year or bounds, not both")
        low, high = self.not_before, self.not_after
        if (
            low is not None
            and high is not None
            and low.year is not None
            and high.year is not None
            and low.year > high.year
        ):
            raise ValueError(f"bounds out of order: not_before {low.year} is after not_after {high.year}")
        return self

    @property
    def dated(self) -> bool:
        return self.year is not None

    @property
    def known(self) -> bool:
        return self.year is not None or self.not_before is not None or self.not_after is not None

    @property
    def low(self) -> int | None:
        """The earliest year it can be (inclusive), or None when open."""
        if self.year is not None:
            return self.year
        return self.not_before.year if self.not_before is not None else None

    @property
    def high(self) -> int | None:
        """The latest year it can be (inclusive), or None when open."""
        if self.year is not None:
            return self.year
        return self.not_after.year if self.not_after is not None else None

    @property
    def edtf(self) -> str:
        """The point as EDTF: ``1954``, ``[1994..1996]``, ``[..2001]``, ``[1970..]``, or "" when unknown."""
        return edtf_of(self.low, self.high, self.year is not None)

    def quotes(self) -> list[str]:
        found = [self.quote] if self.quote else []
        found += [b.quote for b in (self.not_before, self.not_after) if b is not None and b.quote]
        return found


@lru_cache(maxsize=4096)
def edtf_of(low: int | None, high: int | None, dated: bool = False) -> str:
    """EDTF for inclusive bounds, checked with the ``edtf`` library; never parsed back into bounds.

    >>> edtf_of(1954, 1954, True), edtf_of(1994, 1996), edtf_of(None, 2001), edtf_of(1970, None), edtf_of(None, None)
    ('1954', '[1994..1996]', '[..2001]', '[1970..]', '')
    """
    if low is None and high is None:
        return ""
    if dated or (low is not None and low == high):
        text = f"{low:04d}"
    elif low is None:
        text = f"[..{high:04d}]"
    elif high is None:
        text = f"[{low:04d}..]"
    else:
        text = f"[{low:04d}..{high:04d}]"
    from edtf import parse_edtf  # imported late: only answers that show EDTF need it

    parse_edtf(text)  # raises on anything that is not EDTF
    return text


def _present_schema(schema: dict[str, Any]) -> None:
    # ``year: present`` is read before validation (``Attestation._present``); the schema says so.
    year = schema.get("properties", {}).get("year")
    if year is not None:
        schema["properties"]["year"] = {"anyOf": [year, {"const": PRESENT}], "description": year.get("description")}


class Attestation(_Model):
    """Years in which the source places the thing alive (its present tense attests the year of its
    date: the paper's, 2009). ``year: present`` writes the present tense; the loader turns it into
    the year of the source's date."""

    model_config = ConfigDict(json_schema_extra=_present_schema)

    year: Year = Field(description="An attested year, or 'present': the year of the source's date.")
    until: Year | None = Field(default=None, description="Last attested year of a range (inclusive).")
    quote: str = Field(min_length=8)
    note: str | None = None
    source_id: SkipJsonSchema[str | None] = _source_id()

    @model_validator(mode="before")
    @classmethod
    def _present(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and isinstance(data.get("year"), str) and data["year"].strip() == PRESENT:
            year = (info.context or {}).get("present_year")
            if year is None:
                raise ValueError("year: present needs the date of the source whose present tense it is")
            data = {**data, "year": year}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Attestation:
        if self.until is not None and self.until < self.year:
            raise ValueError(f"attested years out of order: {self.year} to {self.until}")
        return self

    @property
    def last(self) -> int:
        return self.until if self.until is not None else self.year

    def covers(self, year: int) -> bool:
        return self.year <= year <= self.last


class Span(_Model):
    """A start, an end, and the years the paper attests between them."""

    start: Point = Field(default_factory=Point)
    end: Point = Field(default_factory=Point, description="First year it no longer holds (start <= year < end).")
    attested: list[Attestation] = Field(default_factory=list)
    source_id: SkipJsonSchema[str | None] = _source_id()

    @model_validator(mode="after")
    def _inside(self) -> Span:
        s_low, e_high = self.start.low, self.end.high
        if s_low is not None and e_high is not None and s_low >= e_high:
            raise ValueError(f"years out of order: start {s_low} is not before end {e_high}")
        for a in self.attested:
            if s_low is not None and a.year < s_low:
                raise ValueError(f"attested {a.year} is before the start ({self.start.edtf})")
            if e_high is not None and a.last >= e_high:
                raise ValueError(f"attested {a.last} is not before the end ({self.end.edtf})")
        return self

    @property
    def first_attested(self) -> int | None:
        return min((a.year for a in self.attested), default=None)

    @property
    def last_attested(self) -> int | None:
        return max((a.last for a in self.attested), default=None)

    def attestation(self, year: int) -> Attestation | None:
        return next((a for a in self.attested if a.covers(year)), None)

    @property
    def earliest(self) -> int | None:
        """First year it can hold (before any treaty floor)."""
        return self.start.low

    @property
    def latest(self) -> int | None:
        """First year it can no longer hold, or None when its end is open."""
        return self.end.high


class Planned(Point):
    """A plan the paper reports, with its year (or bounds): a plan, not a fact."""

    quote: str = Field(min_length=8, description="The words that report the plan.")
    note: str | None = None


class Life(Span):
    """The life of an organ or edge: its span, what the paper says is planned, and stated gaps."""

    planned_start: Planned | None = Field(
        default=None, description="A planned beginning: the thing exists only in plans (the ROK warfighter of 2012)."
    )
    planned_end: Planned | None = Field(default=None, description="A planned end (CFC 'will be deactivated in 2012').")
    gaps: list[Span] = Field(default_factory=list, description="Gaps in existence the paper states.")

    @model_validator(mode="after")
    def _plans(self) -> Life:
        if self.planned_start is not None and (self.start.known or self.attested):
            raise ValueError("a life with a planned start has no stated start or attested years: it is a plan")
        low, planned = self.start.low, self.planned_end.low if self.planned_end is not None else None
        if planned is not None and low is not None and planned <= low:
            raise ValueError(f"planned_end {planned} is not after the start ({self.start.edtf})")
        return self

    @property
    def only_planned(self) -> bool:
        return self.planned_start is not None


class StatusPeriod(Span):
    """A period of one status (active, dormant, planned) inside a life, with its own years or bounds."""

    status: Status

    @model_validator(mode="after")
    def _status(self) -> StatusPeriod:
        if self.status not in (Status.ACTIVE, Status.DORMANT, Status.PLANNED):
            raise ValueError(f"a status period is active, dormant or planned, not {self.status.value}")
        return self


def legacy_life(data: dict, start_key: str, end_key: str) -> None:
    """Fold the flat year fields of older seeds (``established``/``from``, ``ended``/``to``,
    ``not_before``, ``planned_start``, ``planned_end``, ``status``) into ``life`` and
    ``status_periods``, in place; the seed checker then asks for the quotes that bounds need.

    Used by ``Organ`` and ``Edge`` before validation, so synthetic structures (the benchmarks) and
    older scripts keep working; the shipped seeds write ``life`` itself.
    """
    keys = (start_key, end_key, "not_before", "planned_start", "planned_end", "status")
    if not any(k in data for k in keys):
        return
    life = dict(data.get("life") or {})
    start, end = data.pop(start_key, None), data.pop(end_key, None)
    not_before = data.pop("not_before", None)
    if start is not None:
        life["start"] = {"year": start}
    elif not_before is not None:
        life["start"] = {"not_before": {"year": not_before}}
    if end is not None:
        life["end"] = {"year": end}
    planned_start, planned_end = data.pop("planned_start", None), data.pop("planned_end", None)
    status = data.pop("status", None)
    status = status.value if isinstance(status, Status) else status
    if status == Status.PLANNED.value:
        # A plan with no year written stays a plan with no year (possible from the treaty floor).
        year = planned_start or start
        life.setdefault("planned_start", {"quote": _LEGACY} if year is None else {"year": year, "quote": _LEGACY})
        life.pop("start", None)
    if planned_end is not None:
        life["planned_end"] = {"year": planned_end, "quote": _LEGACY}
    data["life"] = life
    if status == Status.DORMANT.value:
        data.setdefault("status_periods", [{"status": "dormant"}])


_LEGACY = "(a plan written in the older flat fields)"
