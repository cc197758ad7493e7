"""The custom transformation Lambda hook of knowledge-base ingestion (POST_CHUNKING).

A data source's ``vectorIngestionConfiguration.customTransformationConfiguration`` names an S3
``intermediateStorage`` location and one Lambda function. For every document the simulator:

1. writes the document's chunks as one batch file to the intermediate bucket,
   ``{"fileContents": [{"contentBody", "contentType": "TEXT", "contentMetadata"}]}``, under
   ``<prefix>/<knowledge base>/<data source>/<job>/input/``;
2. invokes the function with the event Bedrock sends (``version``, ``knowledgeBaseId``,
   ``dataSourceId``, ``ingestionJobId``, ``bucketName``, ``priorTask: CHUNKING``,
   ``inputFiles`` with ``originalFileLocation``, ``fileMetadata`` and ``contentBatches``);
3. reads back the batch files the function lists in ``outputFiles`` and embeds their
   ``contentBody``, adding each item's ``contentMetadata`` to the chunk's metadata.

moto stores the function but cannot run it without Docker, so the simulator runs the handler
module of a Python function's zip in-process (single-file functions, no layers). Its boto3
calls reach the same simulated account. A function that raises, returns no ``outputFiles`` or
writes unreadable batches makes the document fail, with the reason in ``failureReasons``.
"""

from __future__ import annotations

import io
import json
import types
import zipfile
from typing import Any

from course.bedrock_sim import state
from course.bedrock_sim.protocol import validation

_WARM: dict[tuple[Any, ...], Any] = {}  # loaded handlers, by function ARN, code hash and handler name


class TransformationFailed(Exception):
    """The Lambda function did not produce usable chunks for a document."""


def validate(config: dict[str, Any] | None) -> None:
    """Check a customTransformationConfiguration when the data source is created or updated."""
    if not config:
        return
    uri = ((config.get("intermediateStorage") or {}).get("s3Location") or {}).get("uri", "")
    if not uri.startswith("s3://"):
        raise validation("intermediateStorage.s3Location.uri must be an s3:// URI.")
    steps = config.get("transformations") or []
    if len(steps) != 1 or steps[0].get("stepToApply") != "POST_CHUNKING":
        raise validation("Exactly one transformation with stepToApply POST_CHUNKING is supported.")


def _split(uri: str) -> tuple[str, str]:
    bucket, _, prefix = uri[len("s3://") :].partition("/")
    return bucket, prefix.strip("/")


def _handler(lambda_arn: str, region: str):
    from moto.awslambda.models import lambda_backends
    from moto.awslambda_simple.models import lambda_simple_backends

    # An ARN names the function's Region; a bare name means the knowledge base's Region.
    parts = lambda_arn.split(":")
    name, region = (parts[6], parts[3]) if lambda_arn.startswith("arn:") and len(parts) >= 7 else (lambda_arn, region)
    function = None
    # course.sandbox runs Lambda without Docker (moto's "simple" backend); plain moto keeps the other.
    for backends in (lambda_simple_backends, lambda_backends):
        try:
            function = backends[state.ACCOUNT_ID][region].get_function(name)
            break
        except Exception:  # noqa: BLE001, S112 - moto's own not-found error; try the next backend
            continue
    if function is None:
        raise TransformationFailed(f"the Lambda function {lambda_arn} does not exist")
    # Like a warm Lambda container, module code runs once per deployed code version.
    warm_key = (function.function_arn, getattr(function, "code_sha_256", None), function.handler)
    if warm_key in _WARM:
        return _WARM[warm_key]
    module_name, _, function_name = (function.handler or "").rpartition(".")
    try:
        source = zipfile.ZipFile(io.BytesIO(function.code_bytes)).read(module_name.replace(".", "/") + ".py")
    except (KeyError, zipfile.BadZipFile, AttributeError) as exc:
        raise TransformationFailed(
            f"the handler {function.handler} is not a Python file in the function's zip"
        ) from exc
    module = types.ModuleType(module_name)
    exec(compile(source, f"{function.function_name}/{module_name}.py", "exec"), module.__dict__)  # noqa: S102
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise TransformationFailed(f"the handler {function.handler} is not a function")
    _WARM[warm_key] = handler
    return handler


def apply(
    kb: dict[str, Any],
    ds: dict[str, Any],
    job_id: str,
    uri: str,
    metadata: dict[str, Any],
    chunks: list[str],
    position: int,
) -> list[tuple[str, dict[str, Any]]]:
    """Run the data source's transformation on one document's chunks: [(text, chunk metadata)]."""
    from moto.s3.models import s3_backends

    config = ds["vectorIngestionConfiguration"]["customTransformationConfiguration"]
    bucket, prefix = _split(config["intermediateStorage"]["s3Location"]["uri"])
    backend = s3_backends[state.ACCOUNT_ID]["aws"]
    if bucket not in backend.buckets:
        raise TransformationFailed(f"the intermediate bucket {bucket} does not exist")
    base = "/".join(p for p in (prefix, kb["knowledgeBaseId"], ds["dataSourceId"], job_id) if p)
    batch_key = f"{base}/input/{position}.json"
    batch = {"fileContents": [{"contentBody": c, "contentType": "TEXT", "contentMetadata": {}} for c in chunks]}
    backend.put_object(bucket, batch_key, json.dumps(batch).encode("utf-8"))
    event = {
        "version": "1.0",
        "knowledgeBaseId": kb["knowledgeBaseId"],
        "dataSourceId": ds["dataSourceId"],
        "ingestionJobId": job_id,
        "bucketName": bucket,
        "priorTask": "CHUNKING",
        "inputFiles": [
            {
                "originalFileLocation": {"type": "S3", "s3_location": {"uri": uri}},
                "fileMetadata": dict(metadata),
                "contentBatches": [{"key": batch_key}],
            }
        ],
    }
    lambda_arn = config["transformations"][0]["transformationFunction"]["transformationLambdaConfiguration"][
        "lambdaArn"
    ]
    try:
        response = _handler(lambda_arn, kb["region"])(event, None)
    except TransformationFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - the learner's function failed; report it
        raise TransformationFailed(f"the Lambda function raised {type(exc).__name__}: {exc}") from exc
    files = (response or {}).get("outputFiles") if isinstance(response, dict) else None
    if not files:
        raise TransformationFailed("the Lambda function returned no outputFiles")
    out: list[tuple[str, dict[str, Any]]] = []
    for file in files:
        for batch_ref in file.get("contentBatches") or []:
            try:
                stored = backend.get_object(bucket, batch_ref["key"])
                contents = json.loads(stored.value)["fileContents"]
                out += [
                    (c["contentBody"], dict(c.get("contentMetadata") or {})) for c in contents if c.get("contentBody")
                ]
            except Exception as exc:  # noqa: BLE001 - missing or malformed batch file
                raise TransformationFailed(f"cannot read the output batch {batch_ref!r}: {exc}") from exc
    return out
