"""Every setting argmap reads, in one place. Values come from the environment or a ``.env`` file.

The "Settings" table of docs/settings.md documents each field; keep the two in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir, user_state_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from argmap.core.config import DEFAULT_GRAPH, NEO4J_SCHEMES, LLMConfig, Price, StoreConfig
from argmap.core.errors import ExtractionError

CACHE_FILE = "llm-cache.sqlite3"
BATCH_FILE = "llm-batches.sqlite3"


def default_data_dir() -> Path:
    return Path(user_data_dir("argmap", appauthor=False))


def default_state_dir() -> Path:
    return Path(user_state_dir("argmap", appauthor=False))


class Settings(BaseSettings):
    """argmap's configuration (environment variables in brackets)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Store: a directory means the embedded FalkorDB, a bolt:// or neo4j:// URI means Neo4j.
    db: str = Field(
        default_factory=lambda: str(default_data_dir()),
        validation_alias=AliasChoices("ARGMAP_DB", "NEO4J_URI"),
    )
    graph: str = Field(DEFAULT_GRAPH, validation_alias="ARGMAP_GRAPH")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: SecretStr | None = Field(None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(None, validation_alias="NEO4J_DATABASE")
    connect_timeout: float = Field(5.0, gt=0, validation_alias="ARGMAP_CONNECT_TIMEOUT")
    # `argmap ingest URL`: seconds to wait for the page (connect and each read).
    fetch_timeout: float = Field(20.0, gt=0, validation_alias="ARGMAP_FETCH_TIMEOUT")

    # LLM extraction.
    openai_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, validation_alias="OPENAI_BASE_URL")
    model: str = Field("gpt-4o-mini", validation_alias="ARGMAP_MODEL")
    llm_max_retries: int = Field(5, ge=0, validation_alias="ARGMAP_LLM_MAX_RETRIES")
    # Unset: 60 s and 4 at once, or 600 s and 1 for a server on this machine or network.
    llm_timeout: float | None = Field(None, gt=0, validation_alias="ARGMAP_LLM_TIMEOUT")
    concurrency: int | None = Field(None, validation_alias="ARGMAP_CONCURRENCY")
    max_cost: float | None = Field(None, validation_alias="ARGMAP_MAX_COST")
    # The model's price in USD per million tokens, for a model argmap's table does not know (a
    # local one: 0) or at another rate; input and output together, cached input defaults to input.
    price_input: float | None = Field(
        None, ge=0, allow_inf_nan=False, validation_alias="ARGMAP_PRICE_INPUT"
    )
    price_cached_input: float | None = Field(
        None, ge=0, allow_inf_nan=False, validation_alias="ARGMAP_PRICE_CACHED_INPUT"
    )
    price_output: float | None = Field(
        None, ge=0, allow_inf_nan=False, validation_alias="ARGMAP_PRICE_OUTPUT"
    )
    # The LLM answer cache: a file path, "off", or unset for llm-cache.sqlite3 in the data dir.
    llm_cache: str | None = Field(None, validation_alias="ARGMAP_LLM_CACHE")
    # The Batch API record: a file path, or unset for llm-batches.sqlite3 in the data dir.
    llm_batches: str | None = Field(None, validation_alias="ARGMAP_LLM_BATCHES")
    # How the answer's JSON shape is asked for: auto, json_schema, json_object or text.
    llm_output: Literal["auto", "json_schema", "json_object", "text"] = Field(
        "auto", validation_alias="ARGMAP_LLM_OUTPUT"
    )

    # Dashboard.
    # The offline extractor's stance model for its hidden guesses: none, or nli (argmap[nli]).
    stance_model: Literal["none", "nli"] = Field("none", validation_alias="ARGMAP_STANCE_MODEL")
    dashboard_host: str = Field("127.0.0.1", validation_alias="ARGMAP_DASHBOARD_HOST")
    dashboard_port: int = Field(8501, validation_alias="ARGMAP_DASHBOARD_PORT")
    # Host names the dashboard answers to besides its bind address and localhost (a
    # comma-separated list, e.g. "argmap.example.org"); anything else is refused (DNS rebinding).
    dashboard_allowed_hosts: str = Field("", validation_alias="ARGMAP_DASHBOARD_ALLOWED_HOSTS")
    # Streamlit's /_stcore/metrics (session and cache counts): closed unless asked for.
    dashboard_metrics: bool = Field(False, validation_alias="ARGMAP_DASHBOARD_METRICS")

    @field_validator("db", mode="before")
    @classmethod
    def _store_target(cls, value: object) -> object:
        # Empty (ARGMAP_DB= in a .env) means the default, not the working directory.
        if isinstance(value, str) and not value.strip():
            return str(default_data_dir())
        if isinstance(value, str) and "://" in value and not value.startswith(NEO4J_SCHEMES):
            raise ValueError(
                "give a directory (the embedded store) or a Neo4j URI ("
                + ", ".join(NEO4J_SCHEMES)
                + ")"
            )
        return value

    @field_validator("max_cost", "price_input", "price_cached_input", "price_output", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # docker compose hands an unset variable on as an empty one (`${ARGMAP_MAX_COST:-}`).
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("state_dir", mode="before")
    @classmethod
    def _blank_state_dir(cls, value: object) -> object:
        # Empty (ARGMAP_STATE_DIR= in a .env) means the default, not the working directory.
        if isinstance(value, str) and not value.strip():
            return default_state_dir()
        return value

    @field_validator("graph", mode="before")
    @classmethod
    def _graph_name(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("give a graph name (or unset it for the default, 'argmap')")
        return value

    def allowed_hosts(self, host: str | None = None) -> list[str]:
        """The Host names the dashboard serves: localhost, its bind address, the allow-list."""
        names = ["localhost", "127.0.0.1", "::1", host or self.dashboard_host]
        names += [h.strip() for h in self.dashboard_allowed_hosts.split(",") if h.strip()]
        # 0.0.0.0 / :: bind every interface but name no host a browser would send.
        return list(dict.fromkeys(n.lower() for n in names if n not in ("0.0.0.0", "::", "")))

    # Review: who decides (the CLI's --reviewer), and whether the dashboard may write reviews.
    reviewer: str | None = Field(None, validation_alias="ARGMAP_REVIEWER")
    dashboard_allow_edits: bool = Field(False, validation_alias="ARGMAP_DASHBOARD_ALLOW_EDITS")

    # Where argmap notes the embedded servers and dashboards it started (`argmap db list`).
    state_dir: Path = Field(default_factory=default_state_dir, validation_alias="ARGMAP_STATE_DIR")

    def store_config(self, db: str | None = None, graph: str | None = None) -> StoreConfig:
        """The store these settings name, with the CLI's ``--db``/``--graph`` over them."""
        return StoreConfig(
            target=db or self.db,
            graph=graph or self.graph,
            neo4j_user=self.neo4j_user,
            neo4j_password=self.neo4j_password,
            neo4j_database=self.neo4j_database,
            connect_timeout=self.connect_timeout,
        )

    def llm_config(self, db: str | None = None) -> LLMConfig:
        """The LLM endpoint; the answer cache sits beside the embedded store unless told otherwise.

        A price only partly stated is not an error here but ``price_problem``: the settings are
        read before the extractor is chosen, and an offline ingest does not care about prices.
        """
        try:
            price, price_problem = self.price(), None
        except ExtractionError as exc:
            price, price_problem = None, str(exc)
        return LLMConfig(
            api_key=self.openai_api_key,
            base_url=self.openai_base_url,
            model=self.model,
            max_retries=max(0, self.llm_max_retries),
            timeout=self.llm_timeout,
            concurrency=self.concurrency,
            max_cost=self.max_cost,
            price=price,
            price_problem=price_problem,
            cache_path=self._cache_path(db or self.db),
            output=self.llm_output,
            batch_path=Path(self.llm_batches).expanduser()
            if self.llm_batches
            else self._data_dir(db or self.db) / BATCH_FILE,
        )

    def price(self) -> Price | None:
        """The price the ``ARGMAP_PRICE_*`` settings state, or None when they state none; raises
        ``ExtractionError`` (one line) when only some of them are set."""
        given = {
            "ARGMAP_PRICE_INPUT": self.price_input,
            "ARGMAP_PRICE_CACHED_INPUT": self.price_cached_input,
            "ARGMAP_PRICE_OUTPUT": self.price_output,
        }
        if all(v is None for v in given.values()):
            return None
        if self.price_input is None or self.price_output is None:
            missing = " and ".join(
                k for k, v in given.items() if v is None and k != "ARGMAP_PRICE_CACHED_INPUT"
            )
            stated = " and ".join(k for k, v in given.items() if v is not None)
            raise ExtractionError(
                f"{stated} set but not {missing}: set ARGMAP_PRICE_INPUT and ARGMAP_PRICE_OUTPUT "
                "(USD per million tokens; 0 for a local model) or unset them all"
            )
        cached = self.price_input if self.price_cached_input is None else self.price_cached_input
        return Price(self.price_input, cached, self.price_output)

    @staticmethod
    def _data_dir(db: str) -> Path:
        """Where argmap's own files for store ``db`` go: beside the embedded store, else the
        user's data directory (a Neo4j URI)."""
        return default_data_dir() if "://" in db else Path(db).expanduser()

    def _cache_path(self, db: str) -> Path | None:
        if self.llm_cache is not None:
            value = self.llm_cache.strip()
            return None if value.lower() in ("", "off", "none", "0") else Path(value).expanduser()
        return self._data_dir(db) / CACHE_FILE


def get_settings() -> Settings:
    """The settings as the environment and ``.env`` say now (read afresh on every call)."""
    return Settings()
