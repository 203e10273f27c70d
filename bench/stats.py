"""Small statistics for the benchmarks: percentiles, and the log-log slope of cost against size."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) of already sorted values, by linear interpolation; 0.0 if empty."""
    if not sorted_values:
        return 0.0
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    pos = (len(sorted_values) - 1) * q / 100.0
    low = math.floor(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return float(sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low))


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p99, max and mean of durations given in seconds, in milliseconds."""
    values = sorted(seconds)
    n = len(values)
    return {
        "n": n,
        "p50": round(percentile(values, 50) * 1000, 4),
        "p99": round(percentile(values, 99) * 1000, 4),
        "max": round((values[-1] if values else 0.0) * 1000, 4),
        "mean": round((sum(values) / n if n else 0.0) * 1000, 4),
    }


def loglog_slope(sizes: Sequence[float], costs: Sequence[float]) -> float | None:
    """Least-squares slope of log(cost) on log(size): cost grows like size**slope.

    None with fewer than two usable points (a cost of zero or less has no logarithm).
    """
    pairs = [(math.log(s), math.log(c)) for s, c in zip(sizes, costs, strict=True) if s > 0 and c and c > 0]
    if len(pairs) < 2:
        return None
    mx = sum(x for x, _ in pairs) / len(pairs)
    my = sum(y for _, y in pairs) / len(pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    if sxx == 0:
        return None
    return round(sum((x - mx) * (y - my) for x, y in pairs) / sxx, 3)
