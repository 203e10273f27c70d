"""Stores: where the graph lives (embedded networkx, or Neo4j), behind one small interface."""

from app.store.base import Store

__all__ = ["Store"]
