"""The process's defaults, loaded once: the seeds' dataset and the shipped scenarios.

Below the stores and the web layer, so both take their defaults from here: the embedded store the
API serves by default (``app.api.deps.default_store``) is built on ``default_dataset()``, and every
store's ``scenarios()`` is ``default_scenarios()`` unless set. Which files they read is
``app.config``'s (``ALLIANCE_SEEDS_DIR``, ``ALLIANCE_PAPER``, ``ALLIANCE_SCENARIOS_DIR``,
``ALLIANCE_SOURCES_DIR``).
"""

from __future__ import annotations

from functools import lru_cache

from app.config import default_scenarios_dir, get_settings
from app.dataset import Dataset
from app.scenarios import load_scenarios
from app.seeds import load_seeds
from graph_schema.scenario import Scenario

__all__ = ["configured_dataset", "default_dataset", "default_scenarios"]


@lru_cache(maxsize=1)
def default_dataset() -> Dataset:
    """The default seeds, validated, with the source folders of ``ALLIANCE_SOURCES_DIR`` beside them
    when it is set (docs/sources.md), loaded once per process (``cache_clear()`` to read them again)."""
    return configured_dataset()


def configured_dataset() -> Dataset:
    """The seeds and source folders the settings name, read and validated now (a reload reads them
    again): ``ALLIANCE_SEEDS_DIR``, ``ALLIANCE_PAPER``, ``ALLIANCE_SOURCES_DIR``."""
    settings = get_settings()
    sources = [settings.alliance_sources_dir] if settings.alliance_sources_dir is not None else []
    return load_seeds(settings.alliance_seeds_dir, settings.alliance_paper, sources)


@lru_cache(maxsize=1)
def default_scenarios() -> dict[str, Scenario]:
    """The shipped scenarios, checked against the default seeds, once per process."""
    return load_scenarios(default_scenarios_dir(), default_dataset())
