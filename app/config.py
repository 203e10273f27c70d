"""Settings read from the environment (pydantic-settings): which store, where the seeds are."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_DIR = Path(__file__).resolve().parent.parent
PAPER_NAME = "finnegan-2009.txt"
SEEDS_ENV = "ALLIANCE_SEEDS_DIR"
PAPER_ENV = "ALLIANCE_PAPER"
SCENARIOS_ENV = "ALLIANCE_SCENARIOS_DIR"


DOCS_ENV = "ALLIANCE_DOCS_DIR"
# The folders of data the explorer reads at run time (not code): each is the repository's folder of
# that name unless its variable names another. An installed package (the Docker image) has no
# repository around it: it sets every variable (tests/test_docker.py checks the Dockerfile does,
# and copies what each folder holds).
DATA_DIRS: dict[str, str] = {SEEDS_ENV: "seeds", SCENARIOS_ENV: "scenarios", DOCS_ENV: "docs"}


def data_dir(env: str) -> Path:
    """The folder of ``DATA_DIRS`` that ``env`` names: ``$env`` if set, else the repository's."""
    value = os.environ.get(env)
    return Path(value) if value else REPO_DIR / DATA_DIRS[env]


def default_seeds_dir() -> Path:
    """``$ALLIANCE_SEEDS_DIR`` if set, else ``seeds/`` next to the app package."""
    return data_dir(SEEDS_ENV)


def default_paper_path(seeds_dir: Path) -> Path:
    """``$ALLIANCE_PAPER`` if set, else ``source/finnegan-2009.txt`` under the seeds directory."""
    env = os.environ.get(PAPER_ENV)
    return Path(env) if env else seeds_dir / "source" / PAPER_NAME


def default_scenarios_dir() -> Path:
    """``$ALLIANCE_SCENARIOS_DIR`` if set, else ``scenarios/`` next to the app package."""
    return data_dir(SCENARIOS_ENV)


class Settings(BaseSettings):
    """``NEO4J_URI`` set means: serve from Neo4j; unset means the embedded networkx store."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = "alliance-explorer"
    neo4j_database: str = "neo4j"
    neo4j_timeout_seconds: float = 5.0
    # A PEM CA file: encrypts a neo4j:// or bolt:// URI and verifies the server against it (private CA).
    neo4j_trusted_ca: Path | None = None
    alliance_seeds_dir: Path | None = None
    alliance_paper: Path | None = None
    cors_origins: str = ""  # comma list; empty keeps CORS closed
    alliance_api_key: str | None = None  # enables POST /admin/reload; unset keeps the API read-only
    # How many API processes serve together: `alliances serve --workers N` sets ALLIANCE_WORKERS for
    # its workers; WEB_CONCURRENCY is what uvicorn and gunicorn read for their worker count. With
    # more than one, the embedded store refuses POST /admin/reload (it would reach one process).
    alliance_workers: int = Field(default=1, ge=1, validation_alias=AliasChoices("alliance_workers", "web_concurrency"))
    # Input caps (app.yaml_lines.read_yaml): a seed or scenario file larger than this is refused unread,
    # and YAML aliases may add at most this many nodes to a file (an "alias bomb" is refused).
    alliance_max_seed_bytes: int = 2_000_000
    alliance_max_scenario_bytes: int = 1_000_000
    alliance_max_source_text_bytes: int = 5_000_000  # the text of an analyst's source (docs/sources.md)
    # Analysts' source folders loaded beside the seeds (`serve`/`load --sources-dir`; Docker: this).
    alliance_sources_dir: Path | None = None

    alliance_yaml_max_alias_nodes: int = 100_000
    # Deadlines (app.deadline): a question computing longer than this answers 503; a store read
    # (Neo4j) that has not answered within ``2 * neo4j_timeout_seconds / 3 + 1`` answers 503, and
    # at most ``neo4j_max_pending_reads`` reads wait on Neo4j at once.
    alliance_compute_deadline_seconds: float = 10.0
    # Memory bounds of the caches, in MiB of estimated size (app.cache): year-snapshots per store
    # (and scenario snapshots, all stores together), and the serialised answers of the question
    # routes (app.api.answers). 0 turns a cache off.
    alliance_snapshot_cache_mb: float = Field(default=256.0, ge=0)
    alliance_answer_cache_mb: float = Field(default=64.0, ge=0)
    neo4j_max_pending_reads: int = 8

    @field_validator("alliance_sources_dir", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        # docker compose passes ALLIANCE_SOURCES_DIR= when it is not set: no sources, not the cwd.
        return None if isinstance(value, str) and not value.strip() else value


def get_settings() -> Settings:
    return Settings()
