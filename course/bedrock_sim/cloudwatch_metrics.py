"""Publish the ``AWS/Bedrock`` runtime metrics of each call into moto's CloudWatch.

As Bedrock does, per call and with the dimension ``ModelId`` (the model id as the caller sent it;
``<id>+priority``, ``<id>+flex`` or ``<id>+latency-optimized`` for those modes): ``Invocations``,
``InvocationLatency`` (ms, to the last token), ``InputTokenCount``, ``OutputTokenCount``,
``CacheReadInputTokenCount`` and ``CacheWriteInputTokenCount`` (when the prompt cache was used),
``TimeToFirstToken`` (ms, streaming operations only), and ``InvocationThrottles`` /
``InvocationServerErrors`` for refused calls. Metrics go to the caller's Region.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from course.bedrock_sim import state

NAMESPACE = "AWS/Bedrock"
_UNITS = {"InvocationLatency": "Milliseconds", "TimeToFirstToken": "Milliseconds"}


def publish(region: str, model_dimension: str, values: dict[str, float]) -> None:
    """Record one datum per metric; silently skipped if moto's CloudWatch is unavailable."""
    try:
        from moto.cloudwatch.models import cloudwatch_backends

        backend = cloudwatch_backends[state.ACCOUNT_ID][region]
    except (ImportError, KeyError):  # pragma: no cover - moto always has CloudWatch
        return
    now = _dt.datetime.now(_dt.UTC)
    data: list[dict[str, Any]] = [
        {
            "MetricName": name,
            "Value": float(value),
            "Unit": _UNITS.get(name, "Count"),
            "Timestamp": now,
            "Dimensions": [{"Name": "ModelId", "Value": model_dimension}],
        }
        for name, value in values.items()
    ]
    backend.put_metric_data(NAMESPACE, data)
