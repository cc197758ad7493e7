"""Run a Python Lambda function that lives in moto, in this process, for simulated services.

moto without Docker answers every Lambda invocation with a canned string, so simulated
services that call Lambda (Bedrock Flows Lambda nodes) run the function's code here instead:
the handler module is read from the function's deployment package (a zip in moto), executed
in a fresh namespace with the function's environment variables set for the call, and its
handler is called with the event and a small context object. Only Python runtimes run.
"""

from __future__ import annotations

import io
import os
import types
import zipfile
from contextlib import contextmanager
from typing import Any

from course.bedrock_sim import state
from course.bedrock_sim.protocol import ServiceError


class LambdaFailed(Exception):
    """The function raised, or could not be loaded; the message says why."""


def _function(arn: str, region: str):
    from moto.awslambda.utils import get_backend  # the "simple" backend when Docker is off

    backend = get_backend(state.ACCOUNT_ID, region)
    try:
        return backend.get_function(arn)
    except Exception as exc:  # noqa: BLE001 - moto raises its own not-found types
        raise ServiceError("ResourceNotFoundException", f"Function not found: {arn}") from exc


@contextmanager
def _environment(variables: dict[str, str]):
    saved = {k: os.environ.get(k) for k in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def invoke(arn: str, event: Any, region: str) -> Any:
    """Call the function's handler with ``event`` and return what it returns."""
    fn = _function(arn, region)
    runtime = getattr(fn, "run_time", "") or ""
    if not runtime.startswith("python"):
        raise LambdaFailed(f"runtime {runtime or 'unknown'} can't run in the simulator (Python only)")
    module_name, _, handler_name = (fn.handler or "").rpartition(".")
    try:
        with zipfile.ZipFile(io.BytesIO(fn.code_bytes)) as package:
            source = package.read(module_name.replace(".", "/") + ".py").decode("utf-8")
    except (KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise LambdaFailed(f"cannot load handler {fn.handler!r} from the deployment package: {exc}") from exc
    module = types.ModuleType(module_name)
    module.__file__ = f"/var/task/{module_name}.py"
    context = types.SimpleNamespace(
        function_name=fn.function_name,
        invoked_function_arn=arn,
        memory_limit_in_mb=fn.memory_size,
        aws_request_id=state.get().new_id("lambda-request", 32, "0123456789abcdef"),
        get_remaining_time_in_millis=lambda: int(fn.timeout) * 1000,
    )
    variables = {k: str(v) for k, v in (getattr(fn, "environment_vars", None) or {}).items()}
    with _environment(variables):
        try:
            exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 - the learner's own code
            handler = getattr(module, handler_name)
            return handler(event, context)
        except Exception as exc:  # noqa: BLE001 - any failure of the function is reported, not raised
            raise LambdaFailed(f"{type(exc).__name__}: {exc}") from exc
