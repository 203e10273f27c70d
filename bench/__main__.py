"""``python -m bench``: every benchmark of issue 6 (see bench/run.py)."""

from bench.run import main

raise SystemExit(main())
