"""Route Bedrock-family requests to the simulator, in front of moto.

moto answers every AWS request through one ``BotocoreStubber`` registered as a botocore
``before-send`` handler. :func:`install` wraps its ``process_request`` so that requests for
the operations listed in each handler module's ``OPERATIONS`` are answered here; every other
request (and every other operation of these services, such as moto's invocation-logging
configuration or agents) still goes to moto unchanged. Because the wrapper sits on moto's
own stubber, plain ``boto3.client(...)`` calls reach it without any extra setup.
"""

from __future__ import annotations

import uuid
from importlib import import_module
from typing import Any

MODULES = {
    "bedrock-runtime": "course.bedrock_sim.runtime",
    "bedrock": "course.bedrock_sim.control",
    "bedrock-agent": "course.bedrock_sim.agent",
    "bedrock-agent-runtime": "course.bedrock_sim.agent_runtime",
    "s3vectors": "course.bedrock_sim.vectors",
}

_installed: dict[str, Any] = {}


def handle(request) -> tuple[int, dict[str, str], bytes] | None:
    """Answer ``request`` if it is a simulated operation, else None (moto takes it)."""
    from course.bedrock_sim import protocol

    found = protocol.service_of(request.url)
    if found is None:
        return None
    service, region = found
    module = import_module(MODULES[service])
    operations: dict[str, Any] = module.OPERATIONS
    request_id = str(uuid.uuid4())
    try:
        call = protocol.parse(request, service, region, tuple(sorted(operations)))
        if call is None:
            return None
        from course.bedrock_sim import authorization  # IAM, when the sandbox enforces it

        authorization.check(request, call)
        reply = operations[call.operation](call)
        return protocol.serialize(call, reply, request_id)
    except protocol.ServiceError as error:
        return protocol.error_response(error, request_id)


def install() -> None:
    """Wrap moto's stubber (idempotent)."""
    if _installed:
        return
    from moto.core.botocore_stubber import BotocoreStubber

    original = BotocoreStubber.process_request

    def process_request(self, request):
        answer = handle(request)
        if answer is not None:
            return answer
        return original(self, request)

    process_request.__wrapped__ = original  # type: ignore[attr-defined]
    _installed["original"] = original
    BotocoreStubber.process_request = process_request


def uninstall() -> None:
    if not _installed:
        return
    from moto.core.botocore_stubber import BotocoreStubber

    BotocoreStubber.process_request = _installed.pop("original")
