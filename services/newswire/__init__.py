"""newswire: raw agency wire messages in, enriched IPTC ninjs story events out."""

__version__ = "0.1.0"
