"""The analysts' questions, as plain functions over snapshots (usable from Python).

Each takes a store or a snapshot and returns plain data (dicts and lists that serialise to JSON);
the REST routes and the CLI are thin shells over them.
"""

from app.questions.centrality import centrality
from app.questions.compare import compare
from app.questions.export import export
from app.questions.indicators import indicators
from app.questions.linkage import linkage
from app.questions.paths import paths
from app.questions.timeline import diff, timeline

__all__ = ["centrality", "compare", "diff", "export", "indicators", "linkage", "paths", "timeline"]
