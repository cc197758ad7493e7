"""Check a simulated response against botocore's output shape, as Stubber.add_response does."""

from __future__ import annotations

from typing import Any

from botocore import xform_name
from botocore.stub import Stubber


def valid(client: Any, operation: str, response: dict[str, Any]) -> dict[str, Any]:
    """Fail (StubResponseError / ParamValidationError) unless ``response`` fits the output shape."""
    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    Stubber(client).add_response(xform_name(operation), body)
    return response
