"""Deliver model-invocation log records where moto's logging configuration says.

The configuration itself is moto's (``put_model_invocation_logging_configuration``). On each
InvokeModel / Converse call the simulator writes one record, in the real
``ModelInvocationLog`` shape, to the CloudWatch Logs group (stream
``aws/bedrock/modelinvocations``) and/or as a gzipped JSON object under
``<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/`` in the S3
bucket. As in AWS, nothing is delivered when the log group or bucket does not exist.
Bodies are included only when the matching ``textDataDeliveryEnabled`` /
``embeddingDataDeliveryEnabled`` flag is true.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from course.bedrock_sim import state

LOG_STREAM = "aws/bedrock/modelinvocations"


def _config(region: str) -> dict[str, Any]:
    from moto.bedrock.models import bedrock_backends

    try:
        return bedrock_backends[state.ACCOUNT_ID][region].get_model_invocation_logging_configuration() or {}
    except KeyError:
        return {}


def deliver(
    region: str,
    operation: str,
    model_id: str,
    request_id: str,
    input_body: Any,
    output_body: Any,
    input_tokens: int,
    output_tokens: int,
    embedding: bool = False,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Write one invocation log record if logging is configured; return the record.

    ``extra`` adds fields (serving.log_fields: the Region that served the call, cache token
    counts); a dict value is merged into the record's dict of the same name.
    """
    config = _config(region)
    if not config or not (config.get("cloudWatchConfig") or config.get("s3Config")):
        return None
    with_bodies = config.get("embeddingDataDeliveryEnabled" if embedding else "textDataDeliveryEnabled", False)
    now = state.get().now()
    record: dict[str, Any] = {
        "schemaType": "ModelInvocationLog",
        "schemaVersion": "1.0",
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "accountId": state.ACCOUNT_ID,
        "identity": {"arn": f"arn:aws:iam::{state.ACCOUNT_ID}:user/course-learner"},
        "region": region,
        "requestId": request_id,
        "operation": operation,
        "modelId": model_id,
        "input": {"inputContentType": "application/json", "inputTokenCount": input_tokens},
        "output": {"outputContentType": "application/json", "outputTokenCount": output_tokens},
    }
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            record[key].update(value)
        else:
            record[key] = value
    if with_bodies:
        record["input"]["inputBodyJson"] = input_body
        record["output"]["outputBodyJson"] = output_body
    line = json.dumps(record, default=str)

    cloudwatch = config.get("cloudWatchConfig") or {}
    if cloudwatch.get("logGroupName"):
        from moto.logs.models import logs_backends

        logs = logs_backends[state.ACCOUNT_ID][region]
        group = logs.groups.get(cloudwatch["logGroupName"])
        if group is not None:
            if LOG_STREAM not in group.streams:
                logs.create_log_stream(cloudwatch["logGroupName"], LOG_STREAM)
            logs.put_log_events(
                cloudwatch["logGroupName"],
                LOG_STREAM,
                [{"timestamp": int(now.timestamp() * 1000), "message": line}],
            )

    s3 = config.get("s3Config") or {}
    if s3.get("bucketName"):
        from moto.s3.models import s3_backends

        backend = s3_backends[state.ACCOUNT_ID]["aws"]
        if s3["bucketName"] in backend.buckets:
            prefix = (s3.get("keyPrefix") or "").strip("/")
            key = (
                f"AWSLogs/{state.ACCOUNT_ID}/BedrockModelInvocationLogs/{region}/"
                f"{now:%Y/%m/%d/%H}/{now:%Y%m%dT%H%M%S}Z_{request_id}.json.gz"
            )
            backend.put_object(
                s3["bucketName"], f"{prefix}/{key}" if prefix else key, gzip.compress(line.encode() + b"\n")
            )
    return record
