"""Encode AWS event-stream frames (application/vnd.amazon.eventstream) for streaming APIs.

Frame layout, as botocore.eventstream decodes it: total length (uint32), headers length
(uint32), prelude CRC32, headers, payload, message CRC32 (of everything before it).
Headers are: name length (uint8), name, type 7 (string), value length (uint16), value.
"""

from __future__ import annotations

import json
import struct
from binascii import crc32
from collections.abc import Iterable
from typing import Any


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode("utf-8"), value.encode("utf-8")
    return struct.pack("!B", len(raw_name)) + raw_name + b"\x07" + struct.pack("!H", len(raw_value)) + raw_value


def frame(headers: dict[str, str], payload: bytes) -> bytes:
    encoded_headers = b"".join(_header(k, v) for k, v in headers.items())
    total = 12 + len(encoded_headers) + len(payload) + 4
    prelude = struct.pack("!II", total, len(encoded_headers))
    prelude += struct.pack("!I", crc32(prelude) & 0xFFFFFFFF)
    message = prelude + encoded_headers + payload
    return message + struct.pack("!I", crc32(message) & 0xFFFFFFFF)


def event(event_type: str, body: dict[str, Any]) -> bytes:
    """One ``event`` message whose JSON payload is the event's members."""
    payload = json.dumps(body, separators=(",", ":")).encode("utf-8")
    headers = {":event-type": event_type, ":content-type": "application/json", ":message-type": "event"}
    return frame(headers, payload)


def exception(exception_type: str, message: str) -> bytes:
    """A modelled exception in the stream (e.g. throttlingException)."""
    payload = json.dumps({"message": message}).encode("utf-8")
    headers = {
        ":exception-type": exception_type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return frame(headers, payload)


def stream(events: Iterable[tuple[str, dict[str, Any]]]) -> bytes:
    return b"".join(event(kind, body) for kind, body in events)
