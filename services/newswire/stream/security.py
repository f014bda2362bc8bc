"""Kafka connection security for the faust service and its aiokafka producer."""

from __future__ import annotations

import ssl
from typing import Any

import faust

from newswire.config import Settings


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if not settings.security_protocol.endswith("SSL"):
        return None
    context = ssl.create_default_context(cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None)
    context.check_hostname = settings.ssl_check_hostname
    if settings.ssl_certfile:
        context.load_cert_chain(
            certfile=str(settings.ssl_certfile),
            keyfile=str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
            password=settings.ssl_keyfile_password.get_secret_value() if settings.ssl_keyfile_password else None,
        )
    return context


def faust_credentials(settings: Settings) -> Any:
    """What faust's `broker_credentials` takes, or None for plaintext."""
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_secret,
            ssl_context=context,
            mechanism=settings.sasl_mechanism or "SCRAM-SHA-512",
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def aiokafka_security(settings: Settings) -> dict[str, Any]:
    """Connection keywords for aiokafka clients we create ourselves."""
    options: dict[str, Any] = {"security_protocol": settings.security_protocol}
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.security_protocol.startswith("SASL"):
        options.update(
            sasl_mechanism=settings.sasl_mechanism or "SCRAM-SHA-512",
            sasl_plain_username=settings.sasl_username,
            sasl_plain_password=settings.sasl_secret,
        )
    return options
