#!/usr/bin/env python3
"""Ask a Kafka broker for cluster metadata (Metadata v4) using only the standard library.

Exit 0 when the broker answers with at least one live broker, 1 otherwise. deploy/local/kafka
uses it to wait until the broker really serves clients, before any virtualenv exists.
"""

from __future__ import annotations

import socket
import struct
import sys

METADATA_API_KEY = 3
METADATA_VERSION = 4  # non-flexible, still supported by Kafka 4.x
CLIENT_ID = b"newswire-probe"


def metadata_request(correlation_id: int) -> bytes:
    header = struct.pack(">hhih", METADATA_API_KEY, METADATA_VERSION, correlation_id, len(CLIENT_ID))
    body = struct.pack(">i?", -1, False)  # topics = null (all), allow_auto_topic_creation = false
    payload = header + CLIENT_ID + body
    return struct.pack(">i", len(payload)) + payload


def read_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("broker closed the connection")
        chunks.extend(chunk)
    return bytes(chunks)


def live_brokers(host: str, port: int, timeout: float) -> int:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(metadata_request(correlation_id=7))
        (size,) = struct.unpack(">i", read_exact(sock, 4))
        response = read_exact(sock, size)
    correlation_id, _throttle, broker_count = struct.unpack(">iii", response[:12])
    if correlation_id != 7:
        raise ValueError("unexpected correlation id")
    return int(broker_count)


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else "localhost:9092"
    host, _, port = address.rpartition(":")
    try:
        return 0 if live_brokers(host or "localhost", int(port), timeout=2.0) > 0 else 1
    except (OSError, ValueError, struct.error):
        return 1


if __name__ == "__main__":
    sys.exit(main())
