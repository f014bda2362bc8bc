"""The dead-letter contract: why an input could not become a story.

A dead letter keeps the original key, bytes and headers untouched and adds the
`newswire-error-*` headers modelled here.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

DeadLetterReason = Literal[
    "empty",
    "too_large",
    "undecodable",
    "unrecognised_format",
    "malformed",
    "forbidden_xml",
    "missing_content",
    "invalid",
    "internal",
]
DEADLETTER_REASONS: tuple[str, ...] = get_args(DeadLetterReason)

HEADER_PREFIX = "newswire-error-"


class Rejection(BaseModel):
    """Why the pipeline refused an input. `detail` is for humans and never holds secrets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: DeadLetterReason
    stage: str
    detail: str = ""


class DeadLetterHeaders(BaseModel):
    """Headers newswire adds to a dead letter (all values are UTF-8 text)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    reason: DeadLetterReason = Field(alias="newswire-error-reason")
    stage: str = Field(alias="newswire-error-stage")
    detail: str = Field(alias="newswire-error-detail")
    original_topic: str = Field(alias="newswire-error-original-topic")
    original_partition: str = Field(alias="newswire-error-original-partition")
    original_offset: str = Field(alias="newswire-error-original-offset")

    def as_kafka_headers(self) -> list[tuple[str, bytes]]:
        return [(name, str(value).encode()) for name, value in self.model_dump(by_alias=True).items()]
