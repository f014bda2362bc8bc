"""The pure pipeline: one raw message in, one outcome out. No Kafka, no files, no clocks.

sniff -> decode -> parse -> normalise -> validate -> enrich. Each step is timed through
an optional observer so that the service can export per-stage histograms.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newswire import __version__
from newswire.enrich import stages as _register_stages  # noqa: F401  (registers the stages)
from newswire.enrich.registry import Stage, stages
from newswire.events.deadletter import Rejection
from newswire.events.extension import NewswireExtension, Provenance, StageError
from newswire.events.ninjs import NinjsStory
from newswire.pipeline.build import apply_findings, document_for, draft_story, iso, main_text
from newswire.pipeline.message import Accepted, Outcome, RawMessage, Rejected
from newswire.pipeline.normalise import normalise
from newswire.pipeline.text_map import align, remap_offsets
from newswire.wire import formats as _register_formats  # noqa: F401  (registers the parsers)
from newswire.wire.decode import decode_text, looks_binary
from newswire.wire.errors import WireError
from newswire.wire.model import ParsedItem
from newswire.wire.registry import SNIFF_BYTES, WireInput, WireParser, choose_parser, get_parser

StageObserver = Callable[[str, float], None]
"""Called with (stage name, seconds) after every timed step."""

EnrichErrorObserver = Callable[[str], None]


@dataclass(frozen=True)
class PipelineOptions:
    max_message_bytes: int = 5 * 1024 * 1024
    feed_timezone: str = "UTC"
    enrich_stages: tuple[str, ...] | None = None  # None: every registered stage; (): normalise-only
    forced_format: str | None = None


class _Reject(Exception):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.detail)
        self.rejection = rejection


class Pipeline:
    """Turns raw messages into stories or rejections. Safe to share; holds no per-message state."""

    def __init__(
        self,
        options: PipelineOptions | None = None,
        observe_stage: StageObserver | None = None,
        observe_enrich_error: EnrichErrorObserver | None = None,
        enrichers: tuple[Stage, ...] | None = None,
    ) -> None:
        """`enrichers` replaces the registered stages (tests, benchmarks); default: the registry."""
        self.options = options or PipelineOptions()
        self._stages: tuple[Stage, ...] = enrichers if enrichers is not None else stages(self.options.enrich_stages)
        self._observe = observe_stage
        self._observe_enrich_error = observe_enrich_error

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(stage.name for stage in self._stages)

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            if self._observe is not None:
                self._observe(stage, time.perf_counter() - started)

    def process(self, message: RawMessage) -> Outcome:
        """Never raises: every failure becomes a `Rejected` with a dead-letter reason."""
        try:
            return Accepted(stories=tuple(self._process(message)))
        except _Reject as rejected:
            return Rejected(rejected.rejection)
        except Exception as error:
            detail = f"{type(error).__name__}: {error}"[:500]
            return Rejected(Rejection(reason="internal", stage="pipeline", detail=detail))

    def _step(self, stage: str, function: Callable[[], Any]) -> Any:
        with self._timed(stage):
            try:
                return function()
            except WireError as error:
                raise _Reject(Rejection(reason=error.reason, stage=stage, detail=error.detail[:500])) from None
            except RecursionError:
                raise _Reject(Rejection(reason="malformed", stage=stage, detail="nesting too deep")) from None

    def _process(self, message: RawMessage) -> list[NinjsStory]:
        data = message.value or b""
        if not data.strip():
            raise _Reject(Rejection(reason="empty", stage="sniff", detail="the message has no content"))
        if len(data) > self.options.max_message_bytes:
            detail = f"{len(data)} bytes exceeds the limit of {self.options.max_message_bytes}"
            raise _Reject(Rejection(reason="too_large", stage="sniff", detail=detail))
        content_type = message.header("content-type")
        parser: WireParser = self._step("sniff", lambda: self._choose(data, content_type))
        text = "" if parser.binary else self._step("decode", lambda: decode_text(data, content_type).text)
        wire = WireInput(
            data=data,
            text=text,
            content_type=content_type,
            filename=message.header("filename") or message.path,
            feed_timezone=self.options.feed_timezone,
        )
        items: list[ParsedItem] = self._step("parse", lambda: parser.parse(wire))
        received_at = _received_at(message)
        normalised = self._step("normalise", lambda: [normalise(item, received_at) for item in items])
        self._step("validate", lambda: _validate(normalised))
        provenance = Provenance(
            format=parser.name,
            parser=f"{type(parser).__module__}.{type(parser).__name__}",
            input=message.path,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            received_at=iso(received_at) or "",
            pipeline_version=__version__,
            source=message.header("source"),
        )
        return [self._story(item, provenance) for item in normalised]

    def _choose(self, data: bytes, content_type: str | None) -> WireParser:
        if self.options.forced_format:
            return get_parser(self.options.forced_format)
        try:
            return choose_parser(data[:SNIFF_BYTES], content_type)
        except WireError:
            if looks_binary(data):
                raise WireError("undecodable", "binary data: NUL or control bytes where text was expected") from None
            raise

    def _story(self, item: ParsedItem, provenance: Provenance) -> NinjsStory:
        if item.assumed_timezone:
            provenance = provenance.model_copy(update={"assumed_timezone": item.assumed_timezone})
        story = draft_story(item, provenance)
        recoveries = [StageError(stage="parse", reason=f"recovered: {note}") for note in item.recoveries]
        findings, errors = self._enrich(item)
        story = apply_findings(story, findings)
        if recoveries or errors:
            all_errors = list(story.newswire.errors) + recoveries + errors
            story = story.model_copy(update={"newswire": story.newswire.model_copy(update={"errors": all_errors})})
        return story

    def annotate(self, text: str, language: str | None = None) -> dict[str, Any]:
        """Enrichment only, on plain text: the findings as the `newswire` extension's JSON fields."""
        item = normalise(ParsedItem(paragraphs=text.split("\n\n"), language=language), datetime.now(tz=UTC))
        findings, errors = self._enrich(item)
        if language and "language" not in findings:
            findings["language"] = {"code": language, "confidence": 1.0}
        extension = NewswireExtension.model_validate(
            {
                "identity": {"content_hash": ""},
                "provenance": {
                    "format": "text",
                    "parser": "annotate",
                    "received_at": "",
                    "pipeline_version": __version__,
                },
                **{key: value for key, value in findings.items() if key in NewswireExtension.model_fields},
                "errors": errors,
            }
        )
        annotated = extension.model_dump(mode="json", exclude_none=True, exclude={"identity", "provenance"})
        cleaned = main_text(item)
        if cleaned != text:  # offsets point into the text the caller sent, not into its cleaned copy
            remap_offsets(annotated, align(cleaned, text))
        # Media Topics live in ninjs `subjects`, not in the extension; annotate shows them too.
        if findings.get("subjects"):
            annotated["subjects"] = [found.model_dump(mode="json", exclude_none=True) for found in findings["subjects"]]
        return annotated

    def _enrich(self, item: ParsedItem) -> tuple[dict[str, Any], list[StageError]]:
        document = document_for(item)
        findings: dict[str, Any] = {}
        errors: list[StageError] = []
        for stage in self._stages:
            with self._timed(stage.name):
                try:
                    findings.update(stage.run(document, findings))
                except Exception as error:
                    errors.append(StageError(stage=stage.name, reason=f"{type(error).__name__}: {error}"[:300]))
                    if self._observe_enrich_error is not None:
                        self._observe_enrich_error(stage.name)
        return findings, errors


def _received_at(message: RawMessage) -> datetime:
    if message.timestamp_ms is not None and message.timestamp_ms > 0:
        return datetime.fromtimestamp(message.timestamp_ms / 1000, tz=UTC)
    header = message.header("received-at")
    if header:
        try:
            parsed = datetime.fromisoformat(header.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(tz=UTC)


def _validate(items: list[ParsedItem]) -> None:
    if not items:
        raise WireError("missing_content", "the message holds no story")
    for index, item in enumerate(items):
        if not item.headline and not item.paragraphs:
            raise WireError("missing_content", f"item {index} has neither headline nor body")
