"""Assertions for test cells whose failures tell a learner what to do next.

Every failure is a :class:`CheckFailed` (an ``AssertionError``), so nbgrader counts it
as a failed test, and its message has the same three parts: what was expected, what
was found, and what to try.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class CheckFailed(AssertionError):
    """A test expectation that the learner's code did not meet."""


def _fmt(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fail(what: str, expected: Any = None, found: Any = None, hint: str | None = None) -> None:
    """Raise :class:`CheckFailed` with the course's three-part message."""
    lines = [what]
    if expected is not None:
        lines.append(f"  expected: {expected if isinstance(expected, str) else _fmt(expected)}")
    if found is not None:
        lines.append(f"  found:    {found if isinstance(found, str) else _fmt(found)}")
    if hint:
        lines.append(f"  try:      {hint}")
    raise CheckFailed("\n".join(lines))


def expect(condition: bool, what: str, *, expected: Any = None, found: Any = None, hint: str | None = None) -> None:
    """Fail with a readable message unless ``condition`` holds."""
    if not condition:
        fail(what, expected, found, hint)


def expect_equal(found: Any, expected: Any, what: str, hint: str | None = None) -> None:
    """Fail unless ``found == expected``."""
    if found != expected:
        fail(what, _fmt(expected), _fmt(found), hint)


def expect_type(found: Any, kind: type | tuple[type, ...], what: str, hint: str | None = None) -> None:
    """Fail unless ``found`` is an instance of ``kind`` (names the type found)."""
    if not isinstance(found, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        fail(what, f"a {names}", f"{type(found).__name__}: {_fmt(found, 120)}", hint)


def expect_in(member: Any, container: Any, what: str, hint: str | None = None) -> None:
    """Fail unless ``member in container``."""
    if member not in container:
        fail(what, f"{_fmt(member)} to be present", _fmt(container), hint)


def expect_not_in(member: Any, container: Any, what: str, hint: str | None = None) -> None:
    """Fail if ``member in container``."""
    if member in container:
        fail(what, f"{_fmt(member)} to be absent", _fmt(container), hint)


def _describe_error(exc: BaseException) -> tuple[str, str | None]:
    """A plain account of an exception and, where we know one, a hint."""
    from botocore.exceptions import ClientError, ParamValidationError

    if isinstance(exc, NotImplementedError):
        return (
            "the function is not written yet (it still raises NotImplementedError)",
            "replace `raise NotImplementedError()` with your code, run that cell, then run this one again",
        )
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        op = getattr(exc, "operation_name", "the call")
        return (f"AWS refused {op}: {err.get('Code', '?')}: {err.get('Message', '')}".rstrip(": "), None)
    if isinstance(exc, ParamValidationError):
        return (
            f"boto3 rejected the request before sending it: {exc}",
            "compare your parameters with the boto3 documentation for this call",
        )
    if isinstance(exc, CheckFailed):
        return (str(exc), None)
    module = type(exc).__module__ or ""
    if module.startswith("moto"):
        return (
            f"the simulated AWS failed inside moto ({type(exc).__name__}: {exc})",
            "this is usually a request with an unexpected shape; check parameter names and types",
        )
    return (f"{type(exc).__name__}: {exc}", None)


@contextmanager
def step(description: str, hint: str | None = None) -> Iterator[None]:
    """Run a block; turn any error into a :class:`CheckFailed` that names the step.

    ``description`` completes the sentence "while ...", e.g. "calling create_role".
    """
    try:
        yield
    except CheckFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - every error becomes a learner message
        account, known_hint = _describe_error(exc)
        raise CheckFailed(
            f"Something went wrong while {description}:\n  {account}"
            + (f"\n  try:      {hint or known_hint}" if (hint or known_hint) else "")
        ) from exc


def call(fn: Callable[..., Any], *args: Any, hint: str | None = None, **kwargs: Any) -> Any:
    """Call the learner's function; explain any error it raises."""
    name = getattr(fn, "__name__", "your function")
    if not callable(fn):
        fail(f"{name} should be a function", "a function defined with def", type(fn).__name__)
    with step(f"calling {name}()", hint):
        return fn(*args, **kwargs)


def expect_client_error(code: str | tuple[str, ...], fn: Callable[[], Any], what: str, hint: str | None = None) -> str:
    """Fail unless ``fn()`` raises a ClientError with one of the given codes; returns the code."""
    from botocore.exceptions import ClientError

    codes = (code,) if isinstance(code, str) else code
    try:
        fn()
    except ClientError as exc:
        found = exc.response.get("Error", {}).get("Code", "?")
        if found not in codes:
            fail(what, f"an error with code {' or '.join(codes)}", found, hint)
        return found
    except Exception as exc:  # noqa: BLE001
        account, _ = _describe_error(exc)
        fail(what, f"an error with code {' or '.join(codes)}", account, hint)
    fail(what, f"an error with code {' or '.join(codes)}", "the call succeeded", hint)
    raise AssertionError("unreachable")
