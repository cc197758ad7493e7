"""One runtime call from model id to bill: routing, tiers, caching, admission, latency, metrics.

runtime.py asks this module at four points of every InvokeModel/Converse(Stream) call:

1. :func:`prepare` - a prompt router picks its model (prompt_routers.py), the service tier and
   latency mode are validated (service_tiers.py) and the cache checkpoints found (caching.py);
2. :func:`admit` - an imported model may still be loading (customization.py), quotas, outages and
   cross-Region routing choose the serving Region or refuse the call (regions.py);
3. :func:`finish_converse` / :func:`finish_invoke` - the prompt cache is read and written, the
   simulated latency computed (time to first token = first-token time x tier factor + prefill of
   the uncached input, a tenth as much for cached tokens; plus per-token time x factor for the
   output), the simulated clock advanced by it, the cost computed (pricing.py), the ``AWS/Bedrock``
   metrics published (cloudwatch_metrics.py) and the call recorded (:func:`records`);
4. :func:`log_fields` - what the model invocation log adds: the Region that served the call and
   the cache token counts.

The simulated clock (seconds, starting at 0) drives prompt-cache expiry and imported-model cold
starts; ``bedrock_sim.advance_clock(seconds)`` moves it on, as if the application had been idle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from course.bedrock_sim import (
    caching,
    catalogue,
    cloudwatch_metrics,
    customization,
    operations_data,
    pricing,
    prompt_routers,
    regions,
    service_tiers,
    state,
    textmodel,
    tokens,
)
from course.bedrock_sim.protocol import Call, ServiceError

_CONVERSE = ("Converse", "ConverseStream")
_STREAMING = ("ConverseStream", "InvokeModelWithResponseStream")
_ERROR_METRICS = {
    "ThrottlingException": "InvocationThrottles",
    "ServiceUnavailableException": "InvocationServerErrors",
    "ModelNotReadyException": "InvocationServerErrors",
}


@dataclass
class Plan:
    call: Call
    operation: str
    resolved: catalogue.Resolved
    choice: service_tiers.Choice
    checkpoints: list[caching.Checkpoint]
    prompt_text: str
    invoked: str | None = None  # the model a prompt router chose (its ARN)
    region: str | None = None
    outcome: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ clock and records


def clock() -> float:
    return state.get().ops.get("clock", 0.0)


def advance(seconds: float) -> float:
    if seconds < 0:
        raise ValueError("the simulated clock only moves forward")
    ops = state.get().ops
    ops["clock"] = ops.get("clock", 0.0) + seconds
    return ops["clock"]


def records() -> list[dict[str, Any]]:
    return state.get().ops.setdefault("records", [])


# ------------------------------------------------------------------ the four steps


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages or []):
        if message.get("role") != "user":
            continue
        content = message.get("content", "")
        if isinstance(content, str):
            return content
        parts = []
        for block in content:
            if isinstance(block, dict):
                parts.append(block.get("text") if isinstance(block.get("text"), str) else textmodel.block_text(block))
        return "\n".join(p for p in parts if p)
    return ""


def prepare(call: Call, resolved: catalogue.Resolved, operation: str, body: dict[str, Any] | None = None) -> Plan:
    params = call.params
    if operation in _CONVERSE:
        text = _last_user_text(params.get("messages") or [])
    else:
        text = _last_user_text((body or {}).get("messages") or []) or str((body or {}).get("prompt", ""))
    resolved, invoked = prompt_routers.route(resolved, text, call.region)
    if operation in _CONVERSE:
        tier = (params.get("serviceTier") or {}).get("type")
        latency = (params.get("performanceConfig") or {}).get("latency")
    else:
        tier, latency = params.get("serviceTier"), params.get("performanceConfigLatency")
    choice = service_tiers.choose(tier, latency, resolved.model, call.region, resolved.via)
    if operation in _CONVERSE:
        checkpoints = caching.converse_checkpoints(params, resolved.model)
    else:
        checkpoints = caching.invoke_checkpoints(body or {}, resolved.model)
    return Plan(call, operation, resolved, choice, checkpoints, text, invoked)


def _dimension(plan: Plan) -> str:
    return str(plan.call.params.get("modelId")) + plan.choice.metric_suffix


def _record(plan: Plan, status: str, **values: Any) -> dict[str, Any]:
    entry = {
        "operation": plan.operation,
        "modelId": plan.call.params.get("modelId"),
        "servedModelId": plan.resolved.model["modelId"],
        "via": plan.resolved.via,
        "sourceRegion": plan.call.region,
        "region": plan.region,
        "serviceTier": plan.choice.tier or "default",
        "latencyMode": plan.choice.latency or "standard",
        "status": status,
        "clock": round(clock(), 3),
    }
    if plan.invoked:
        entry["invokedModelId"] = plan.invoked
    entry.update(values)
    records().append(entry)
    return entry


def admit(plan: Plan) -> None:
    try:
        customization.check_ready(plan.resolved, clock())
        plan.region = regions.admit(plan.resolved, plan.call.region)
    except ServiceError as exc:
        metric = _ERROR_METRICS.get(exc.code)
        if metric:
            cloudwatch_metrics.publish(plan.call.region, _dimension(plan), {metric: 1})
        _record(plan, exc.code)
        raise


def _provisioned_model_arn(plan: Plan) -> str | None:
    if plan.resolved.via != "PROVISIONED":
        return None
    for record in state.get().provisioned.values():
        if record["provisionedModelArn"] == plan.resolved.requested:
            return record.get("modelArn")
    return None


def _complete(plan: Plan, input_tokens: int, output_tokens: int) -> dict[str, Any]:
    model = plan.resolved.model
    usage = caching.apply(plan.checkpoints, input_tokens, clock())
    uncached = max(0, input_tokens - usage.read - usage.write)
    timing = model["latency"]
    factors = operations_data.load()["latencyFactors"]
    prefill = timing.get("perInputKTokenMs", 0) / 1000
    factor = plan.choice.factor
    ttft = timing["firstTokenMs"] * factor + prefill * (uncached + usage.write + factors["cacheRead"] * usage.read)
    latency = int(round(ttft + timing["perTokenMs"] * factor * output_tokens))
    ttft = int(round(ttft))
    advance(latency / 1000)
    global_profile = (plan.resolved.target or {}).get("geography") == "global" or plan.resolved.requested.rsplit(
        "/", 1
    )[-1].startswith("global.")
    cost = pricing.call_cost(
        model,
        uncached,
        output_tokens,
        cache_read=usage.read,
        cache_details=usage.details,
        price_key=plan.choice.price_key,
        global_profile=global_profile,
    )
    values: dict[str, float] = {
        "Invocations": 1,
        "InvocationLatency": latency,
        "InputTokenCount": uncached,
        "OutputTokenCount": output_tokens,
    }
    if usage.active:
        values["CacheReadInputTokenCount"] = usage.read
        values["CacheWriteInputTokenCount"] = usage.write
    if plan.operation in _STREAMING:
        values["TimeToFirstToken"] = ttft
    cloudwatch_metrics.publish(plan.call.region, _dimension(plan), values)
    plan.outcome = {
        "uncached": uncached,
        "output": output_tokens,
        "usage": usage,
        "latency": latency,
        "ttft": ttft,
        "cost": cost,
    }
    _record(
        plan,
        "ok",
        inputTokens=uncached,
        outputTokens=output_tokens,
        cacheReadInputTokens=usage.read,
        cacheWriteInputTokens=usage.write,
        latencyMs=latency,
        timeToFirstTokenMs=ttft,
        costUsd=round(cost, 10),
    )
    return plan.outcome


def finish_converse(plan: Plan, body: dict[str, Any]) -> None:
    """Apply the plan to a Converse response body (usage, latency, trace, tier echo)."""
    answer = customization.trained_answer(plan.resolved, _provisioned_model_arn(plan), plan.prompt_text)
    content = body["output"]["message"]["content"]
    if answer is not None and all("text" in b for b in content):
        body["output"]["message"]["content"] = [{"text": answer}]
        body["stopReason"] = "end_turn"
        body["usage"]["outputTokens"] = tokens.count(answer)
    out = _complete(plan, body["usage"]["inputTokens"], body["usage"]["outputTokens"])
    usage: dict[str, Any] = {
        "inputTokens": out["uncached"],
        "outputTokens": out["output"],
        "totalTokens": out["uncached"] + out["output"] + out["usage"].read + out["usage"].write,
    }
    if out["usage"].active:
        usage["cacheReadInputTokens"] = out["usage"].read
        usage["cacheWriteInputTokens"] = out["usage"].write
        if out["usage"].details:
            usage["cacheDetails"] = out["usage"].details
    body["usage"] = usage
    body["metrics"] = {"latencyMs": out["latency"]}
    if plan.invoked:
        body.setdefault("trace", {})["promptRouter"] = {"invokedModelId": plan.invoked}
    if plan.choice.tier:
        body["serviceTier"] = {"type": plan.choice.tier}
    if plan.choice.latency:
        body["performanceConfig"] = {"latency": plan.choice.latency}


def finish_invoke(plan: Plan, response: dict[str, Any], input_tokens: int, output_tokens: int) -> dict[str, str]:
    """Apply the plan to an InvokeModel response body; return the headers to set."""
    out = _complete(plan, input_tokens, output_tokens)
    usage = out["usage"]
    family = plan.resolved.model["family"]
    if usage.active and family == "anthropic-messages" and isinstance(response.get("usage"), dict):
        response["usage"].update(
            input_tokens=out["uncached"],
            cache_creation_input_tokens=usage.write,
            cache_read_input_tokens=usage.read,
        )
    elif usage.active and family == "nova" and isinstance(response.get("usage"), dict):
        response["usage"].update(
            inputTokens=out["uncached"],
            cacheReadInputTokenCount=usage.read,
            cacheWriteInputTokenCount=usage.write,
            totalTokens=out["uncached"] + out["output"] + usage.read + usage.write,
        )
    headers = {
        "X-Amzn-Bedrock-Input-Token-Count": str(out["uncached"]),
        "X-Amzn-Bedrock-Invocation-Latency": str(out["latency"]),
    }
    if output_tokens or family not in ("titan-embed-v2", "titan-embed-v1", "cohere-embed"):
        headers["X-Amzn-Bedrock-Output-Token-Count"] = str(output_tokens)
    if usage.active:
        headers["X-Amzn-Bedrock-Cache-Read-Input-Token-Count"] = str(usage.read)
        headers["X-Amzn-Bedrock-Cache-Write-Input-Token-Count"] = str(usage.write)
    if plan.choice.tier:
        headers["X-Amzn-Bedrock-Service-Tier"] = plan.choice.tier
    if plan.choice.latency:
        headers["X-Amzn-Bedrock-PerformanceConfig-Latency"] = plan.choice.latency
    return headers


def log_fields(plan: Plan) -> dict[str, Any]:
    """Fields the model invocation log record adds for this call."""
    fields: dict[str, Any] = {}
    if plan.region and (plan.region != plan.call.region or regions.geography_of(plan.resolved)):
        fields["inferenceRegion"] = plan.region
    usage = plan.outcome.get("usage")
    if usage is not None and usage.active:
        fields["input"] = {
            "inputTokenCount": plan.outcome["uncached"],
            "cacheReadInputTokenCount": usage.read,
            "cacheWriteInputTokenCount": usage.write,
        }
    return fields
