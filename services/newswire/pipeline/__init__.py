"""The pure pipeline: bytes and headers in, a story, several stories or a rejection out."""

from newswire.pipeline.core import Pipeline, PipelineOptions
from newswire.pipeline.message import Accepted, Outcome, RawMessage, Rejected

__all__ = ["Accepted", "Outcome", "Pipeline", "PipelineOptions", "RawMessage", "Rejected"]
