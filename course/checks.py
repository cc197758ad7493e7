"""Assertions for test cells whose failures tell a learner what to do next.

Every failure is a :class:`CheckFailed` (an ``AssertionError``), so nbgrader counts it
as a failed test, and its message has the same three parts: what was expected, what
was found, and what to try.

In a notebook (and in nbgrader's feedback) a failed check shows only that message, not the
traceback through this module: IPython asks an exception for ``_render_traceback_``. The full
traceback is one flag away: ``checks.verbose(True)`` in the notebook, or the environment
variable ``AIP_FULL_TRACEBACK=1`` before Jupyter starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

FULL_TRACEBACK_ENV = "AIP_FULL_TRACEBACK"
_verbose: bool | None = None  # None: follow the environment variable
VERBOSE_HINT = "(for the full traceback: run `checks.verbose(True)`, then this cell again)"


def verbose(on: bool | None = True) -> None:
    """Show the full Python traceback of failed checks (``False``: the course's message alone;
    ``None``: as the environment variable says)."""
    global _verbose
    _verbose = None if on is None else bool(on)


def _full_traceback() -> bool:
    if _verbose is not None:
        return _verbose
    return os.environ.get(FULL_TRACEBACK_ENV, "").strip().lower() in ("1", "true", "yes")


class CheckFailed(AssertionError):
    """A test expectation that the learner's code did not meet."""

    @property
    def _render_traceback_(self) -> Callable[[], list[str]]:
        """IPython's hook: the course's message alone, unless the full traceback was asked for.

        A property, so that asking for the full traceback makes IPython see no hook at all
        (``hasattr`` is then false) and print its usual one."""
        if _full_traceback():
            raise AttributeError("_render_traceback_")
        return self._course_message

    def _course_message(self) -> list[str]:
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}", VERBOSE_HINT]


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


def get(container: Any, key: Any, what: str, hint: str | None = None) -> Any:
    """``container[key]``, or a course message naming what was found instead (never a raw KeyError).

    ``what`` names the value being read, e.g. "the envelope envelope_encrypt returned"."""
    if isinstance(key, str) and not isinstance(container, dict):
        fail(
            f"{what} should be a dict",
            f"a dict with the key {key!r}",
            f"{type(container).__name__}: {_fmt(container, 120)}",
            hint,
        )
    if isinstance(key, int) and not isinstance(container, (list, tuple)):
        fail(
            f"{what} should be a list",
            f"a list with an item at {key}",
            f"{type(container).__name__}: {_fmt(container, 120)}",
            hint,
        )
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        fail(f"{what} has no {key!r}", f"{key!r} to be present", _fmt(container), hint)
    raise AssertionError("unreachable")


def _raised_in_moto(exc: BaseException) -> bool:
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return bool(last) and "/moto/" in last.replace("\\", "/")


def _describe_error(exc: BaseException) -> tuple[str, str | None]:
    """A plain account of an exception and, where we know one, a hint."""
    from botocore.exceptions import ClientError, ParamValidationError

    if isinstance(exc, NotImplementedError) and _raised_in_moto(exc):
        return (
            f"the simulated AWS (moto) does not implement this request yet ({exc})",
            "use another call that does the same (the exercise text names the ones the simulator supports)",
        )
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


def read(what: str, fn: Callable[..., Any], *args: Any, hint: str | None = None, **kwargs: Any) -> Any:
    """Call ``fn`` (a lookup by the test, e.g. ``glue.get_table``); any error becomes a course message.

    ``what`` names what is read: ``checks.read("the table you created", glue.get_table, ...)``."""
    with step(f"reading {what}", hint or "create it with the names and arguments you were given"):
        return fn(*args, **kwargs)


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
