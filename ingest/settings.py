"""Every setting argmap reads, in one place. Values come from the environment or a ``.env`` file.

The README's "Settings" table documents each field; keep the two in step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("argmap", appauthor=False))


class Settings(BaseSettings):
    """argmap's configuration (environment variables in brackets)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Store: a directory means the embedded FalkorDB, a bolt:// or neo4j:// URI means Neo4j.
    db: str = Field(
        default_factory=lambda: str(default_data_dir()),
        validation_alias=AliasChoices("ARGMAP_DB", "NEO4J_URI"),
    )
    graph: str = Field("argmap", validation_alias="ARGMAP_GRAPH")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr | None = Field(None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(None, validation_alias="NEO4J_DATABASE")
    connect_timeout: float = Field(5.0, validation_alias="ARGMAP_CONNECT_TIMEOUT")
    # `argmap ingest URL`: seconds to wait for the page (connect and each read).
    fetch_timeout: float = Field(20.0, validation_alias="ARGMAP_FETCH_TIMEOUT")

    # LLM extraction.
    openai_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, validation_alias="OPENAI_BASE_URL")
    model: str = Field("gpt-4o-mini", validation_alias="ARGMAP_MODEL")
    llm_max_retries: int = Field(5, validation_alias="ARGMAP_LLM_MAX_RETRIES")
    llm_timeout: float = Field(60.0, validation_alias="ARGMAP_LLM_TIMEOUT")
    concurrency: int = Field(4, validation_alias="ARGMAP_CONCURRENCY")
    max_cost: float | None = Field(None, validation_alias="ARGMAP_MAX_COST")
    # The LLM answer cache: a file path, "off", or unset for llm-cache.sqlite3 in the data dir.
    llm_cache: str | None = Field(None, validation_alias="ARGMAP_LLM_CACHE")

    # Dashboard.
    dashboard_host: str = Field("127.0.0.1", validation_alias="ARGMAP_DASHBOARD_HOST")
    dashboard_port: int = Field(8501, validation_alias="ARGMAP_DASHBOARD_PORT")

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.openai_base_url)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
