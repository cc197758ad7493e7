"""Refuse, as AWS does, requests whose values break the API's own constraints.

botocore checks types, required members and minimum lengths before sending a request; AWS
checks the rest on arrival (enumerations, maximum lengths, value ranges) and answers with a
validation error naming each member. moto and the course's simulator accept such requests,
so a misspelt setting (``TokenValidityUnits={"RefreshToken": "dayz"}``) would be stored and
fail much later, in a hidden test. Here it fails at the call that made it, with AWS's error:

    InvalidParameterException: 1 validation error detected: Value 'dayz' at
    'tokenValidityUnits.refreshToken' failed to satisfy constraint: Member must satisfy enum
    value set: [seconds, minutes, hours, days]

Only services whose validation errors are known to read exactly so are checked (``CHECKED``:
the error code each uses for them); a service's model can list enumerations its API does not
enforce, and refusing a request AWS accepts would teach the wrong lesson. Add a service only
with its real error seen in AWS's documentation or answers.

Two botocore handlers, registered for every new session and on boto3's default session by
:func:`activate` (the sandbox calls it): one reads the parameters as the caller wrote them,
the other answers the request with the error before it is sent, so botocore raises the
client's own exception class (``client.exceptions.InvalidParameterException``).
"""

from __future__ import annotations

from typing import Any

CONTEXT_KEY = "course-request-checks"
# Service -> the error code of its constraint failures ("1 validation error detected: ...").
CHECKED = {
    "cognito-idp": "InvalidParameterException",
    "ssm": "ValidationException",
    "stepfunctions": "ValidationException",
}

_active = {"on": False}


def _error_code(service: str, operation) -> str | None:
    return CHECKED.get(service)  # AWS rarely lists these errors among an operation's own


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def violations(shape, value: Any, path: str = "") -> list[str]:
    """AWS's sentence for each constraint ``value`` breaks (enumerations, maximum length and value)."""
    found: list[str] = []
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                found += violations(member, value[name], f"{path}.{_lower_first(name)}" if path else _lower_first(name))
    elif kind == "list" and isinstance(value, list):
        for n, item in enumerate(value, 1):
            found += violations(shape.member, item, f"{path}.{n}.member")
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            found += violations(shape.value, item, f"{path}.{key}")
    elif kind == "string" and isinstance(value, str):
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            found.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
        elif "max" in meta and len(value) > meta["max"]:
            found.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {meta['max']}"
            )
    elif _number(kind, value) and "max" in meta and value > meta["max"]:
        found.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {meta['max']}"
        )
    return found


def _number(kind: str, value: Any) -> bool:
    return (
        kind in ("integer", "long", "float", "double")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    )


def check(params: dict, model, context: dict | None = None, **kwargs: Any) -> None:
    """``before-parameter-build``: note AWS's validation error when ``params`` break the constraints."""
    if not _active["on"] or model.input_shape is None or not isinstance(params, dict) or context is None:
        return
    code = _error_code(model.service_model.service_name, model)
    if code is None:
        return
    try:
        found = violations(model.input_shape, params)
    except Exception:  # noqa: BLE001 - a value of the wrong type: botocore's own validation reports it
        return
    if found:
        count = f"{len(found)} validation error{'s' if len(found) > 1 else ''} detected"
        context[CONTEXT_KEY] = (code, f"{count}: {'; '.join(found)}")


def answer(context: dict | None = None, **kwargs: Any):
    """``before-call``: answer a noted request with AWS's error, as the service would (HTTP 400).

    botocore then raises the client's own class for the code (``client.exceptions.X``)."""
    if not context or CONTEXT_KEY not in context:
        return None
    from botocore.awsrequest import AWSResponse

    code, message = context.pop(CONTEXT_KEY)
    parsed = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    return AWSResponse("", 400, {}, None), parsed


HANDLERS = (
    ("before-parameter-build", check, "course-request-checks"),
    ("before-call", answer, "course-request-answer"),
)


def activate() -> None:
    """Check every request from now on, from new sessions and from boto3's default one (idempotent)."""
    import boto3
    from botocore import handlers

    _active["on"] = True
    for event, handler, unique_id in HANDLERS:
        if (event, handler) not in handlers.BUILTIN_HANDLERS:
            handlers.BUILTIN_HANDLERS.append((event, handler))
        if boto3.DEFAULT_SESSION is not None:
            boto3.DEFAULT_SESSION._session.register(event, handler, unique_id=unique_id)


def reset() -> None:
    """Nothing is stored: the checks stay on."""
