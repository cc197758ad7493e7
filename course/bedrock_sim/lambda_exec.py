"""Run a Lambda function stored in moto, in this process, the way the Lambda service would.

moto keeps Lambda functions (their zip, handler, role, timeout, environment) but never runs
their code without Docker. A Bedrock agent's action group needs the code to run, so this
module does what the Lambda service does for one synchronous invocation:

- checks the function's resource-based policy lets the calling service principal invoke it
  (``lambda:InvokeFunction`` for ``bedrock.amazonaws.com``, with a matching ``AWS:SourceArn``
  condition when there is one);
- checks the execution role's trust policy lets ``lambda.amazonaws.com`` assume it, assumes it
  through moto's STS, and runs the handler with those credentials in the environment, so with
  ``sandbox.iam_enforced()`` the handler can do only what its role allows;
- loads the zip's Python modules in memory (kept warm per function and code, as a container
  is), passes a context object, applies the function's environment variables, captures what the
  handler prints into CloudWatch Logs (``/aws/lambda/<name>``), and reports an unhandled
  exception or a run longer than the function's timeout as a function error.

Time is the handler's own: its thread's CPU time plus every ``time.sleep`` it asks for (which
returns at once). A busy or slow machine therefore never makes a function time out, while a
handler that sleeps past its timeout still does, without the wait.

Only Python runtimes run. Nothing here ever starts a process or reaches the network.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import importlib.abc
import importlib.util
import io
import json
import os
import sys
import threading
import time
import traceback
import types
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from course.bedrock_sim import state

_WARM: dict[tuple[str, str, str], types.ModuleType] = {}  # (function ARN, code hash, last modified) -> module


@dataclass
class Outcome:
    """What one invocation gave: the returned payload, or an error the caller must report."""

    payload: Any = None
    error: str | None = None  # "Unhandled" function error (errorType: errorMessage)
    denied: str | None = None  # the service may not invoke the function
    missing: bool = False  # no such function
    logs: str = ""
    duration_ms: int = 0


class _ZipFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import the other modules of the function's zip from memory (a handler may import them)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def _path(self, fullname: str) -> str | None:
        base = fullname.replace(".", "/")
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate in self.files:
                return candidate
        return None

    def find_spec(self, fullname, path, target=None):  # noqa: ANN001 - importlib protocol
        found = self._path(fullname)
        if found is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=found.endswith("__init__.py"))

    def create_module(self, spec):  # noqa: ANN001
        return None

    def exec_module(self, module):  # noqa: ANN001
        found = self._path(module.__name__)
        code = compile(self.files[found], f"/var/task/{found}", "exec")
        exec(code, module.__dict__)  # noqa: S102 - the function's own code, as Lambda runs it


def _function(arn: str):
    from moto.awslambda.utils import get_backend  # moto's "simple" Lambda store when Docker is off

    parts = arn.split(":")
    if len(parts) < 7:
        return None
    try:
        return get_backend(parts[4], parts[3]).get_function(arn)
    except Exception:  # noqa: BLE001 - moto's UnknownFunctionException and friends
        return None


def _allows(policy_json: str | None, principal: str, source_arn: str | None) -> bool:
    if not policy_json:
        return False
    try:
        statements = json.loads(json.loads(policy_json)["Policy"])["Statement"]
    except (ValueError, KeyError, TypeError):
        return False
    for statement in [statements] if isinstance(statements, dict) else statements:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        if not any(a in ("lambda:InvokeFunction", "lambda:*", "*") for a in actions):
            continue
        who = statement.get("Principal")
        services = who.get("Service") if isinstance(who, dict) else who
        services = [services] if isinstance(services, str) else services or []
        if principal not in services and "*" not in services:
            continue
        conditions = statement.get("Condition") or {}
        patterns = []
        for operator, values in conditions.items():
            for key, value in values.items():
                if key.lower() == "aws:sourcearn" and operator in (
                    "ArnLike",
                    "ArnEquals",
                    "StringEquals",
                    "StringLike",
                ):
                    patterns.extend([value] if isinstance(value, str) else value)
        if patterns and not (source_arn and any(fnmatch.fnmatchcase(source_arn, p) for p in patterns)):
            continue
        return True
    return False


def _trusts_lambda(role_arn: str) -> bool:
    from moto.iam.models import iam_backends

    try:
        role = iam_backends[state.ACCOUNT_ID]["aws"].get_role_by_arn(role_arn)
        document = json.loads(role.assume_role_policy_document)
    except Exception:  # noqa: BLE001 - no such role, or a policy that is not JSON
        return False
    statements = document.get("Statement", [])
    for statement in [statements] if isinstance(statements, dict) else statements:
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        services = (
            (statement.get("Principal") or {}).get("Service") if isinstance(statement.get("Principal"), dict) else None
        )
        services = [services] if isinstance(services, str) else services or []
        assume = any(str(a).lower() in ("sts:assumerole", "sts:*", "*") for a in actions)
        if statement.get("Effect") == "Allow" and assume and "lambda.amazonaws.com" in services:
            return True
    return False


def _credentials(role_arn: str, session_name: str) -> tuple[str, str, str]:
    from moto.sts.models import sts_backends

    assumed = sts_backends[state.ACCOUNT_ID]["aws"].assume_role(
        region_name="us-east-1",
        role_session_name=session_name[:64],
        role_arn=role_arn,
        policy=None,
        duration=900,
        external_id=None,
    )
    return assumed.access_key_id, assumed.secret_access_key, assumed.session_token


def _module(fn) -> types.ModuleType:  # noqa: ANN001 - moto's LambdaFunction
    code = bytes(fn.code_bytes or b"")
    key = (fn.function_arn, hashlib.sha256(code).hexdigest(), str(fn.last_modified))
    if key in _WARM:
        return _WARM[key]
    with zipfile.ZipFile(io.BytesIO(code)) as archive:
        files = {name: archive.read(name) for name in archive.namelist() if name.endswith(".py")}
    module_name, _, _ = (fn.handler or "").rpartition(".")
    finder = _ZipFinder(files)
    path = finder._path(module_name.replace("/", "."))
    if path is None:
        raise ImportError(f"Unable to import module '{module_name}': No module named '{module_name}'")
    module = types.ModuleType(module_name.replace("/", "."))
    module.__file__ = f"/var/task/{path}"
    sys.meta_path.insert(0, finder)
    try:
        finder.exec_module(module)
    finally:
        sys.meta_path.remove(finder)
    module.__dict__["__zip_finder__"] = finder
    _WARM[key] = module
    return module


class _Clock:
    """The handler's elapsed time: its thread's CPU time plus the sleeps it asked for."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()
        self.cpu = time.thread_time()
        self.slept = 0.0

    def elapsed(self) -> float:
        return time.thread_time() - self.cpu + self.slept

    @contextlib.contextmanager
    def sleeps(self):
        """While the handler runs, its time.sleep adds to the clock instead of waiting."""
        real = time.sleep

        def sleep(seconds: float) -> None:
            if threading.get_ident() == self.thread:
                self.slept += max(0.0, float(seconds))
            else:
                real(seconds)

        time.sleep = sleep
        try:
            yield
        finally:
            time.sleep = real


class _Context:
    """The context object a Python handler receives."""

    def __init__(self, fn, clock: _Clock) -> None:  # noqa: ANN001
        self.function_name = fn.function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = fn.function_arn
        self.memory_limit_in_mb = str(fn.memory_size)
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{fn.function_name}"
        self.log_stream_name = time.strftime("%Y/%m/%d") + f"/[$LATEST]{uuid.uuid4().hex}"
        self._clock = clock
        self._timeout = float(fn.timeout)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._timeout - self._clock.elapsed()) * 1000))


@contextlib.contextmanager
def _environment(values: dict[str, str]):
    """The function's environment and role credentials, and a fresh boto3 default session."""
    import boto3

    saved = {k: os.environ.get(k) for k in values}
    session = boto3.DEFAULT_SESSION
    os.environ.update(values)
    boto3.DEFAULT_SESSION = None  # a session made earlier caches the caller's credentials
    try:
        yield
    finally:
        boto3.DEFAULT_SESSION = session
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _write_logs(fn, context: _Context, text: str) -> None:  # noqa: ANN001
    from moto.logs.models import logs_backends

    backend = logs_backends[fn.account_id][fn.region]
    if context.log_group_name not in backend.groups:
        backend.create_log_group(context.log_group_name, {})
    backend.create_log_stream(context.log_group_name, context.log_stream_name)
    now = int(time.time() * 1000)
    lines = [f"START RequestId: {context.aws_request_id} Version: $LATEST", *text.splitlines()]
    lines.append(f"END RequestId: {context.aws_request_id}")
    events = [{"timestamp": now, "message": line} for line in lines if line.strip()]
    backend.put_log_events(context.log_group_name, context.log_stream_name, events)


def invoke(arn: str, event: dict[str, Any], *, principal: str, source_arn: str | None) -> Outcome:
    """Invoke the function ``arn`` with ``event`` on behalf of ``principal`` (a service)."""
    fn = _function(arn)
    if fn is None:
        return Outcome(missing=True)
    try:
        policy = fn.policy.wire_format()
    except Exception:  # noqa: BLE001 - moto raises when the function has no policy at all
        policy = None
    if not _allows(policy, principal, source_arn):
        return Outcome(denied=f"no resource-based policy statement of {fn.function_name} allows {principal}")
    if not (fn.run_time or "").startswith("python"):
        return Outcome(error=f"Runtime.Unsupported: the course simulator runs Python functions only, not {fn.run_time}")
    if not _trusts_lambda(fn.role):
        return Outcome(error="Lambda.AccessDenied: The role defined for the function cannot be assumed by Lambda.")
    key_id, secret, token = _credentials(fn.role, fn.function_name)
    values = {
        **{k: str(v) for k, v in (fn.environment_vars or {}).items()},
        "AWS_ACCESS_KEY_ID": key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_SESSION_TOKEN": token,
        "AWS_REGION": fn.region,
        "AWS_DEFAULT_REGION": fn.region,
        "AWS_LAMBDA_FUNCTION_NAME": fn.function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
    }
    clock = _Clock()
    context = _Context(fn, clock)
    captured = io.StringIO()
    outcome = Outcome()
    with (
        _environment(values),
        clock.sleeps(),
        contextlib.redirect_stdout(captured),
        contextlib.redirect_stderr(captured),
    ):
        result, failed = None, False
        try:
            module = _module(fn)
            handler = getattr(module, fn.handler.rpartition(".")[2], None)
            if not callable(handler):
                raise AttributeError(f"Handler '{fn.handler.rpartition('.')[2]}' missing on module '{module.__name__}'")
            finder = module.__dict__["__zip_finder__"]
            sys.meta_path.insert(0, finder)
            try:
                result = handler(json.loads(json.dumps(event)), context)
            finally:
                sys.meta_path.remove(finder)
        except Exception as exc:  # noqa: BLE001 - the function's own error becomes a function error
            outcome.error, failed = f"{type(exc).__name__}: {exc}", True
            traceback.print_exc(file=captured)
        if not failed:
            try:
                outcome.payload = json.loads(json.dumps(result))
            except (TypeError, ValueError) as exc:
                outcome.error = f"Runtime.MarshalError: Unable to marshal response: {exc}"
    elapsed = clock.elapsed()
    outcome.duration_ms = int(elapsed * 1000)
    if elapsed > float(fn.timeout):
        outcome.payload, outcome.error = None, f"Sandbox.Timedout: Task timed out after {float(fn.timeout):.2f} seconds"
    outcome.logs = captured.getvalue()
    if outcome.error:
        outcome.logs += f"\n[ERROR] {outcome.error}"
    _write_logs(fn, context, outcome.logs)
    return outcome
