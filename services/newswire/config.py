"""Configuration from `NEWSWIRE_*` environment variables (and an optional `.env` file).

Secrets (SASL password, TLS key password) come from the environment or from files, never
from command-line arguments, and are `SecretStr` so they do not leak into logs or reprs.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from newswire.ops.feeds import FeedSpec, parse_feeds

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSWIRE_", env_file=".env", extra="ignore")

    # Kafka connection
    kafka_bootstrap: str = "localhost:9092"
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    sasl_password_file: Path | None = Field(default=None, description="file holding the SASL password")
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    ssl_keyfile_password: SecretStr | None = None
    ssl_check_hostname: bool = True

    # Topics
    topic_raw: str = "wire.raw"
    topic_stories: str = "news.stories"
    topic_deadletter: str = "wire.deadletter"
    topic_partitions: int = Field(default=3, ge=1)
    topic_replication_factor: int = Field(default=1, ge=1)
    raw_retention_ms: int = 7 * 24 * 3600 * 1000
    stories_retention_ms: int = 30 * 24 * 3600 * 1000
    deadletter_retention_ms: int = 30 * 24 * 3600 * 1000
    stories_compacted: bool = Field(
        default=False, description="compact news.stories to the latest version per uri (key)"
    )
    topic_max_message_bytes: int = 10 * 1024 * 1024

    # Service
    group_id: str = "newswire"
    metrics_host: str = "0.0.0.0"
    metrics_port: int = 9108
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"
    max_message_bytes: int = Field(default=5 * 1024 * 1024, ge=1, description="larger inputs are dead-lettered")
    feed_timezone: str = "UTC"
    enrich_stages: Annotated[tuple[str, ...] | None, NoDecode] = Field(
        default=None, description="comma-separated stage names; empty for normalise-only; unset for all"
    )
    ce_source: str = "urn:newswire"
    schema_base_uri: str = "https://newswire.example/schemas"
    identity: bool = Field(
        default=True, description="dedup, versions and clusters (a single-partition stage after the pipeline)"
    )
    topic_identity: str | None = Field(
        default=None, description="hand-off topic to the identity stage; default <group_id>.identity"
    )
    identity_window_s: float = Field(
        default=72 * 3600.0, description="how long dedup and cluster state is kept (stream time: raw broker timestamps)"
    )
    near_duplicate_distance: int = Field(default=12, ge=0, le=64, description="simhash bits for a near duplicate")
    drop_near_duplicates: bool = False
    routes_file: Path | None = Field(
        default=None, description="routing file (YAML); stories also go to each matching route's topic"
    )
    commit_interval_s: float = 1.0
    processing_guarantee: Literal["at_least_once", "exactly_once"] = Field(
        default="at_least_once",
        description=(
            "exactly_once: stories commit in Kafka transactions with their inputs' offsets (read_committed "
            "readers see each once; visible only at each commit)"
        ),
    )
    producer_linger_ms: int = Field(
        default=5,
        ge=0,
        le=1000,
        description=(
            "how long a producer holds a record to fill a batch: fewer, larger requests (less CPU per story "
            "on a backlog) for up to this much latency per Kafka hop"
        ),
    )
    max_in_flight: int = Field(default=500, ge=1, description="messages being published at once (bounds memory)")
    drain_timeout_s: float = Field(default=20.0, description="time to finish in-flight messages at shutdown")
    allow_unverified_patches: bool = Field(
        default=False,
        description=(
            "experts only: start `serve` although faust/aiokafka/mode differ from what stream/'s delivery "
            "patches were written for (logged at CRITICAL at every start; see docs/delivery.md)"
        ),
    )
    feeds: Annotated[tuple[FeedSpec, ...], NoDecode] = Field(
        default=(),
        description="watched feeds, their cadence and quiet hours (FEED_TIMEZONE): `efe=10m, ap=2m quiet 22:00-06:00`",
    )

    @field_validator("feeds", mode="before")
    @classmethod
    def _parse_feeds(cls, value: object) -> object:
        return parse_feeds(value) if isinstance(value, str) else value

    @field_validator("enrich_stages", mode="before")
    @classmethod
    def _split_stages(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @cached_property
    def sasl_secret(self) -> str | None:
        if self.sasl_password is not None:
            return self.sasl_password.get_secret_value()
        if self.sasl_password_file is not None:
            return self.sasl_password_file.read_text(encoding="utf-8").strip()
        return None

    @property
    def identity_topic(self) -> str:
        return self.topic_identity or f"{self.group_id}.identity"

    def kafka_python_security(self) -> dict[str, object]:
        """Connection settings in kafka-python's keyword names (tools: publish, tail, admin)."""
        options: dict[str, object] = {"security_protocol": self.security_protocol}
        if self.security_protocol.startswith("SASL"):
            options.update(
                sasl_mechanism=self.sasl_mechanism or "SCRAM-SHA-512",
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.sasl_secret,
            )
        if self.security_protocol.endswith("SSL"):
            options.update(
                ssl_cafile=str(self.ssl_cafile) if self.ssl_cafile else None,
                ssl_certfile=str(self.ssl_certfile) if self.ssl_certfile else None,
                ssl_keyfile=str(self.ssl_keyfile) if self.ssl_keyfile else None,
                ssl_password=self.ssl_keyfile_password.get_secret_value() if self.ssl_keyfile_password else None,
                ssl_check_hostname=self.ssl_check_hostname,
            )
        return options


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with command-line overrides (never secrets) on top."""
    given: dict[str, Any] = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)
