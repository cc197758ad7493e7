"""The wire format: parse a botocore request into operation + parameters, build responses.

Operations are found by matching the HTTP method and path against the ``requestUri`` of
each operation in botocore's own service model, so the simulator sees requests exactly as
the real service would (path parameters, query strings, headers, JSON body).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

STATUS = {
    "ValidationException": 400,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "NotFoundException": 404,
    "ConflictException": 409,
    "ThrottlingException": 429,
    "TooManyRequestsException": 429,
    "ServiceQuotaExceededException": 400,
    "ModelNotReadyException": 429,
    "InternalServerException": 500,
}


class ServiceError(Exception):
    """An error answer of the simulated service (becomes a botocore ClientError)."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or STATUS.get(code, 400)


def validation(message: str) -> ServiceError:
    return ServiceError("ValidationException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", message)


@dataclass
class Call:
    """One parsed request."""

    service: str
    operation: str
    region: str
    params: dict[str, Any]
    raw_body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Reply:
    """What a handler returns: output members (by shape member name) or raw parts."""

    output: dict[str, Any] = field(default_factory=dict)
    status: int | None = None
    raw_body: bytes | None = None  # replaces the serialised body (event streams)
    headers: dict[str, str] = field(default_factory=dict)


SERVICES = {
    "bedrock-runtime": "bedrock-runtime",
    "bedrock": "bedrock",
    "bedrock-agent": "bedrock-agent",
    "bedrock-agent-runtime": "bedrock-agent-runtime",
    "s3vectors": "s3vectors",
}
_HOST_RE = re.compile(r"^(bedrock-agent-runtime|bedrock-agent|bedrock-runtime|bedrock|s3vectors)[.-]([a-z0-9-]+)\.")


def service_of(url: str) -> tuple[str, str] | None:
    """(service, region) for a Bedrock-family URL, else None."""
    host = urlsplit(url).hostname or ""
    m = _HOST_RE.match(host)
    if not m:
        return None
    region = m.group(2)
    if region == "fips":
        return None
    return m.group(1), region


@cache
def service_model(service: str):
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


@cache
def _routes(service: str, operations: tuple[str, ...]) -> list[tuple[str, re.Pattern[str], str]]:
    model = service_model(service)
    routes = []
    for name in operations:
        http = model.operation_model(name).http
        path = http["requestUri"].split("?")[0]
        pattern = re.sub(r"\\\{(\w+)(?:\\\+)?\\\}", r"(?P<\1>[^/]+)", re.escape(path).replace("/", "/"))
        pattern = pattern.rstrip("/") + "/?"
        segments = [s for s in path.split("/") if s]
        literal = sum(1 for s in segments if "{" not in s)
        routes.append((http["method"], re.compile("^" + pattern + "$"), name, len(segments), literal))
    # Most segments first so /guardrails/{id} does not shadow /guardrails/{id}/version/..., then
    # most literal segments so /flows/validate-definition is not read as /flows/{flowIdentifier}.
    routes.sort(key=lambda r: (-r[3], -r[4], -len(r[1].pattern)))
    return [r[:3] for r in routes]


def _convert(shape, value: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(value)
    if kind in ("float", "double"):
        return float(value)
    if kind == "boolean":
        return value.lower() == "true"
    return value


def parse(request, service: str, region: str, handled: tuple[str, ...]) -> Call | None:
    """Match ``request`` (an AWSPreparedRequest) to one of ``handled`` operations."""
    parts = urlsplit(request.url)
    path = unquote(parts.path) or "/"
    raw_path = parts.path or "/"
    for method, pattern, name in _routes(service, handled):
        if method != request.method:
            continue
        m = pattern.match(raw_path) or pattern.match(path)
        if not m:
            continue
        operation = service_model(service).operation_model(name)
        body = request.body or b""
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        query = parse_qs(parts.query, keep_blank_values=True)
        params: dict[str, Any] = {}
        shape = operation.input_shape
        payload = shape.serialization.get("payload") if shape is not None else None
        if shape is not None:
            for member, member_shape in shape.members.items():
                location = member_shape.serialization.get("location")
                wire = member_shape.serialization.get("name", member)
                if location == "uri":
                    if wire in m.groupdict():
                        params[member] = unquote(m.group(wire))
                elif location == "querystring" and wire in query:
                    values = query[wire]
                    params[member] = values if member_shape.type_name == "list" else _convert(member_shape, values[0])
                elif location == "header" and wire.lower() in headers:
                    params[member] = _convert(member_shape, headers[wire.lower()])
        if payload and shape.members[payload].type_name == "blob":
            params[payload] = body
        elif body.strip():
            try:
                document = json.loads(body)
            except ValueError as exc:
                raise validation("Malformed JSON request body.") from exc
            if not isinstance(document, dict):
                raise validation("Malformed JSON request body.")
            if payload:
                params[payload] = document
            else:
                params.update(document)
        return Call(service, name, region, params, body, headers)
    return None


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, (bytes, bytearray)):
        import base64

        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, separators=(",", ":"))


def serialize(call: Call, reply: Reply, request_id: str) -> tuple[int, dict[str, str], bytes]:
    operation = service_model(call.service).operation_model(call.operation)
    headers = {"x-amzn-RequestId": request_id, "Content-Type": "application/json"}
    body_members: dict[str, Any] = {}
    raw: bytes | None = reply.raw_body
    shape = operation.output_shape
    payload = shape.serialization.get("payload") if shape is not None else None
    for member, value in reply.output.items():
        member_shape = shape.members[member]
        location = member_shape.serialization.get("location")
        if location == "header":
            headers[member_shape.serialization.get("name", member)] = str(value)
        elif member == payload:
            raw = value if isinstance(value, (bytes, bytearray)) else dumps(value).encode("utf-8")
        elif value is not None:
            body_members[member] = value
    headers.update(reply.headers)
    body = raw if raw is not None else dumps(body_members).encode("utf-8")
    status = reply.status or operation.http.get("responseCode", 200)
    return status, headers, bytes(body)


def error_response(error: ServiceError, request_id: str) -> tuple[int, dict[str, str], bytes]:
    headers = {
        "x-amzn-RequestId": request_id,
        "x-amzn-ErrorType": f"{error.code}:http://internal.amazon.com/coral/com.amazon.bedrock/",
        "Content-Type": "application/json",
    }
    body = json.dumps({"message": error.message}).encode("utf-8")
    return error.status, headers, body


Handler = Callable[[Call], Reply]
