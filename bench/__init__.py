"""Benchmarks of the alliance explorer (issue 6): ``python -m bench``. They report; they never fail CI."""
