"""Settings read from the environment (pydantic-settings): which store, where the seeds are."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """``NEO4J_URI`` set means: serve from Neo4j; unset means the embedded networkx store."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = "alliance-explorer"
    neo4j_database: str = "neo4j"
    neo4j_timeout_seconds: float = 5.0
    alliance_seeds_dir: Path | None = None
    alliance_paper: Path | None = None
    cors_origins: str = ""  # comma list; empty keeps CORS closed
    alliance_api_key: str | None = None  # enables POST /admin/reload; unset keeps the API read-only
    # Memory bounds of the caches, in MiB (estimated sizes; see app.cache): year-snapshots per store,
    # and serialised answers of the question routes (app.api.answers). 0 turns a cache off.
    alliance_snapshot_cache_mb: float = 256.0
    alliance_answer_cache_mb: float = 64.0


def get_settings() -> Settings:
    return Settings()
