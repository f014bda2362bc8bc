"""Configuration from `NEWSWIRE_*` environment variables (and an optional `.env` file).

Secrets (SASL password, TLS key password) come from the environment or from files, never
from command-line arguments, and are `SecretStr` so they do not leak into logs or reprs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from newswire import config_checks as checks
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
    raw_retention_ms: int = Field(default=7 * 24 * 3600 * 1000, ge=-1, description="-1: keep forever")
    stories_retention_ms: int = Field(default=30 * 24 * 3600 * 1000, ge=-1)
    deadletter_retention_ms: int = Field(default=30 * 24 * 3600 * 1000, ge=-1)
    stories_compacted: bool = Field(
        default=False, description="compact news.stories to the latest version per uri (key)"
    )
    topic_max_message_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    # Service
    group_id: str = Field(default="newswire", min_length=1)
    metrics_host: str = Field(default="0.0.0.0", min_length=1)
    metrics_port: int = Field(default=9108, ge=0, le=65535, description="0: any free port")
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"
    max_message_bytes: int = Field(default=5 * 1024 * 1024, ge=1, description="larger inputs are dead-lettered")
    feed_timezone: str = "UTC"
    enrich_stages: Annotated[tuple[str, ...] | None, NoDecode] = Field(
        default=None, description="comma-separated stage names; empty for normalise-only; unset for all"
    )
    ce_source: str = Field(default="urn:newswire", min_length=1)
    schema_base_uri: str = Field(default="https://newswire.example/schemas", pattern=r"^https?://\S+$")
    identity: bool = Field(
        default=True, description="dedup, versions and clusters (a single-partition stage after the pipeline)"
    )
    topic_identity: str | None = Field(
        default=None, description="hand-off topic to the identity stage; default <group_id>.identity"
    )
    identity_window_s: float = Field(
        default=72 * 3600.0,
        gt=0,
        description="how long dedup and cluster state is kept (stream time: raw broker timestamps)",
    )
    near_duplicate_distance: int = Field(default=12, ge=0, le=64, description="simhash bits for a near duplicate")
    drop_near_duplicates: bool = False
    routes_file: Path | None = Field(
        default=None, description="routing file (YAML); stories also go to each matching route's topic"
    )
    commit_interval_s: float = Field(default=1.0, gt=0, le=600)
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
    drain_timeout_s: float = Field(default=20.0, ge=0, description="time to finish in-flight messages at shutdown")
    # Consumer-group timing. A worker killed with kill -9 holds its partitions until the broker has
    # missed its heartbeats for `session_timeout_s` (faust's default is 60 s, so a restarted worker
    # published again only after ~96 s); shorter means faster takeover, but a worker whose heartbeats
    # stall that long (they run in faust's consumer thread, not the agents' loop) loses its partitions.
    session_timeout_s: float = Field(
        default=10.0, ge=6.0, le=1800.0, description="consumer-group session: a dead worker's partitions move after it"
    )
    heartbeat_interval_s: float = Field(default=3.0, gt=0, description="at most a third of SESSION_TIMEOUT_S")
    rebalance_timeout_s: float = Field(
        default=60.0, gt=0, description="how long a rebalance waits for live workers to rejoin (above DRAIN_TIMEOUT_S)"
    )
    group_instance_id: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "static group membership (KIP-345): a stable, unique name per worker (a StatefulSet pod name); a "
            "worker restarted under it gets its partitions back at once, without a rebalance"
        ),
    )
    allow_unverified_patches: bool = Field(
        default=False,
        description=(
            "experts only: start `serve` although faust/aiokafka/mode differ from what stream/'s delivery "
            "patches were written for (logged at CRITICAL at every start; see docs/delivery.md)"
        ),
    )
    # Read by the enrichment modules from the environment; declared here so they are checked and shown.
    langid_accuracy: Literal["low", "high", "adaptive"] = Field(
        default="adaptive", description="lingua mode: high only for short texts when adaptive"
    )
    kb_path: Path | None = Field(default=None, description="extra knowledge base (JSON lines) for entity linking")
    trace_offsets: bool = Field(
        default=False, description="log every fetch, ack, seek, commit and offset gap as a JSON line (stream/trace.py)"
    )
    otel: bool = Field(
        default=False,
        description=(
            "OpenTelemetry spans per pipeline stage and Kafka hop, in the raw message's trace, sent over OTLP/HTTP "
            "to OTEL_EXPORTER_OTLP_ENDPOINT (stream/otel.py)"
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

    # Every setting is checked when the settings are made, so a bad one stops any command at once with
    # a line naming its variable (cli.py: exit 2), not a story later (a misspelt zone dead-lettered
    # every agency-text story as `internal`).
    @field_validator("enrich_stages")
    @classmethod
    def _known_stages(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        from newswire.enrich.stages import ORDER  # only when set: importing the stages takes a second

        return checks.stage_names(value, ORDER)

    @field_validator("feed_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return checks.time_zone(value)

    @field_validator("otel")
    @classmethod
    def _otel_endpoint(cls, value: bool) -> bool:
        if value:
            from newswire.stream.otel import endpoint_problem  # the SDK itself is imported only by the worker

            problem = endpoint_problem(os.environ)
            if problem:
                raise ValueError(problem)
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        return checks.log_level(value)

    @field_validator("kafka_bootstrap")
    @classmethod
    def _bootstrap(cls, value: str) -> str:
        return checks.bootstrap(value)

    @field_validator("topic_raw", "topic_stories", "topic_deadletter", "topic_identity")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        return None if value is None else checks.topic_name(value)

    @field_validator("sasl_password_file", "ssl_cafile", "ssl_certfile", "ssl_keyfile", "kb_path", "routes_file")
    @classmethod
    def _file(cls, value: Path | None) -> Path | None:
        return None if value is None else checks.readable_file(value)

    @field_validator("routes_file")
    @classmethod
    def _routes(cls, value: Path | None) -> Path | None:
        if value is not None:
            from newswire.routing.loader import RoutesError, load_routes_file

            try:
                load_routes_file(value)
            except RoutesError as error:
                first, *rest = str(error).splitlines() or [f"{value}: invalid"]
                more = f" (and {len(rest)} more problem(s): newswire routes check)" if rest else ""
                raise ValueError(first + more) from None
        return value

    @model_validator(mode="after")
    def _group_timing(self) -> Settings:
        if self.heartbeat_interval_s * 3 > self.session_timeout_s:
            raise ValueError(
                f"NEWSWIRE_HEARTBEAT_INTERVAL_S={self.heartbeat_interval_s:g}: at most a third of "
                f"NEWSWIRE_SESSION_TIMEOUT_S ({self.session_timeout_s:g}), or one lost heartbeat expels the worker"
            )
        if self.rebalance_timeout_s <= self.drain_timeout_s:
            raise ValueError(
                f"NEWSWIRE_REBALANCE_TIMEOUT_S={self.rebalance_timeout_s:g}: must exceed NEWSWIRE_DRAIN_TIMEOUT_S "
                f"({self.drain_timeout_s:g}), the time a worker may take to finish in-flight messages when it rejoins"
            )
        return self

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


SECRETS = frozenset({"sasl_password", "ssl_keyfile_password"})


class SettingsError(ValueError):
    """One or more bad settings; str() is one line per setting, each naming its NEWSWIRE_ variable."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with command-line overrides (never secrets) on top."""
    given: dict[str, Any] = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        raise SettingsError(checks.render(error.errors(), SECRETS)) from None


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """Warnings for NEWSWIRE_ variables that no setting reads (typos), each with a "did you mean"."""
    return checks.unknown_variables(os.environ if environ is None else environ, Settings.model_fields)


def effective(settings: Settings, environ: Mapping[str, str] | None = None) -> list[str]:
    """`NEWSWIRE_X=value` per setting, secrets masked, `# default` where nothing set it."""
    environ = os.environ if environ is None else environ
    lines = []
    for field in Settings.model_fields:
        value = getattr(settings, field)
        if field in SECRETS:
            shown = "********" if value is not None else ""
        elif isinstance(value, tuple):
            shown = ",".join(str(item) for item in value)
        else:
            shown = "" if value is None else str(value)
        name = checks.variable(field)
        default = Settings.model_fields[field].get_default(call_default_factory=True)
        lines.append(f"{name}={shown}" + ("  # default" if value == default and name not in environ else ""))
    return lines
