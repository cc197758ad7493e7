"""bedrock-runtime: InvokeModel, Converse, their streaming forms, ApplyGuardrail, CountTokens."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from course.bedrock_sim import (
    catalogue,
    eventstream,
    families,
    faults,
    guardrails,
    invocation_logging,
    serving,
    state,
    structured,
    textmodel,
)
from course.bedrock_sim.protocol import Call, Reply, ServiceError, validation

_NOT_CHAT = "This action doesn't support the model that you provided. Try again with a supported text or chat model."


def _admit(model_id: str) -> None:
    quota = state.get().quotas.get(model_id)
    if quota is not None and not quota.admit():
        raise ServiceError("ThrottlingException", "Too many requests, please wait before trying again.")


def _latency(model: dict[str, Any], output_tokens: int) -> int:
    timing = model["latency"]
    return int(timing["firstTokenMs"] + timing["perTokenMs"] * output_tokens)


def _metrics(model: dict[str, Any], result: textmodel.Result) -> dict[str, int]:
    latency = _latency(model, result.output_tokens)
    return {
        "inputTokenCount": result.input_tokens,
        "outputTokenCount": result.output_tokens,
        "invocationLatency": latency,
        "firstByteLatency": int(model["latency"]["firstTokenMs"]),
    }


# ------------------------------------------------------------------ guardrail plumbing


@dataclass
class Guard:
    record: dict[str, Any]
    config: dict[str, Any]
    version: str
    trace: str

    @property
    def guardrail_id(self) -> str:
        return self.record["guardrailId"]


def _guard(identifier: str | None, version: str | None, trace: str | None, region: str) -> Guard | None:
    if not identifier:
        return None
    if not version:
        raise validation("Guardrail version is required when a guardrail identifier is provided.")
    record, config, version = guardrails.lookup(identifier, version, region)
    return Guard(record, config, version, (trace or "disabled").lower())


@dataclass
class Guarded:
    result: textmodel.Result
    action: str  # INTERVENED / NONE
    input_assessment: dict[str, Any] | None
    output_assessment: dict[str, Any] | None
    model_output: str | None
    reason: str | None


def _run(request: textmodel.Request, guard: Guard | None, extra: dict[str, Any], model_id: str = "") -> Guarded:
    """Generate with optional guardrail checks on input and output.

    ``extra`` may hold "guard" (the blocks the input check sees) and "grounding" (grounding
    source and query blocks for the contextual grounding check of the output). Faults injected
    on ``model_id`` (faults.py) shape the generated answer.
    """
    if guard is None:
        return Guarded(
            faults.after_generate(model_id, request, textmodel.generate(request)), "NONE", None, None, None, None
        )
    guard_blocks = extra.get("guard") or [{"text": families.guarded_input_text(request)}]
    grounding = extra.get("grounding", [])
    checked = guardrails.evaluate(guard.config, "INPUT", guard_blocks)
    input_tokens = textmodel.count_input_tokens(request)
    if checked.blocked:
        text = checked.outputs[0]["text"]
        result = textmodel.Result([{"text": text}], "guardrail_intervened", input_tokens, 0)
        return Guarded(result, "INTERVENED", checked.assessment, None, None, checked.action_reason)
    if checked.intervened:  # PII masked on input: the model sees the masked text
        masked = dict(zip((b["text"] for b in guard_blocks), checked.masked_texts))
        for message in request.messages:
            for block in message.get("content", []):
                if "text" in block and block["text"] in masked:
                    block["text"] = masked[block["text"]]
                elif "guardContent" in block:
                    inner = block["guardContent"].get("text", {})
                    if inner.get("text") in masked:
                        inner["text"] = masked[inner["text"]]
    result = faults.after_generate(model_id, request, textmodel.generate(request))
    original = result.text
    if not original:
        return Guarded(result, "INTERVENED" if checked.intervened else "NONE", checked.assessment, None, None, None)
    out = guardrails.evaluate(guard.config, "OUTPUT", [{"text": original, "qualifiers": ["guard_content"]}] + grounding)
    action = "INTERVENED" if (checked.intervened or out.intervened) else "NONE"
    if out.intervened:
        new_text = out.outputs[0]["text"]
        blocks = [{"text": new_text}] + [b for b in result.blocks if "text" not in b]
        result = textmodel.Result(blocks, "guardrail_intervened", result.input_tokens, result.output_tokens)
    elif checked.intervened and result.stop_reason != "tool_use":
        result.stop_reason = "guardrail_intervened"
    reason = out.action_reason if out.intervened else (checked.action_reason if checked.intervened else None)
    return Guarded(result, action, checked.assessment, out.assessment, original, reason)


def _trace(guard: Guard, guarded: Guarded) -> dict[str, Any]:
    trace: dict[str, Any] = {}
    if guarded.input_assessment is not None:
        trace["inputAssessment"] = {guard.guardrail_id: guarded.input_assessment}
    if guarded.output_assessment is not None:
        trace["outputAssessments"] = {guard.guardrail_id: [guarded.output_assessment]}
    if guarded.model_output is not None:
        trace["modelOutput"] = [json.dumps({"text": guarded.model_output})]
    if guarded.reason:
        trace["actionReason"] = guarded.reason
    return trace


# ------------------------------------------------------------------ Converse


def _decode_document(block: dict[str, Any]) -> dict[str, Any]:
    document = dict(block["document"])
    source = document.get("source", {})
    raw = source.get("bytes")
    text = ""
    if raw is not None:
        try:
            text = base64.b64decode(raw).decode("utf-8", errors="replace")
        except ValueError:
            text = ""
    elif "text" in source:
        text = source["text"]
    document["_text"] = f'<document name="{document.get("name", "document")}">{text}</document>'
    return {"document": document}


def _converse_request(
    params: dict[str, Any], model: dict[str, Any], prompt: dict[str, Any] | None
) -> tuple[textmodel.Request, dict[str, Any]]:
    if "EMBEDDING" in model["outputModalities"] or model["family"] not in families.TEXT_PARSERS:
        raise validation(_NOT_CHAT)
    features = model.get("converse", {"system": True, "tools": True})
    messages = list((prompt or {}).get("messages", [])) + list(params.get("messages") or [])
    system_blocks = list((prompt or {}).get("system", [])) + list(params.get("system") or [])
    if not messages:
        raise validation(
            "A conversation must start with a user message. Try again with a conversation that starts with a user message."
        )
    for index, message in enumerate(messages):
        if not message.get("content"):
            raise validation(
                f"The content field in the Message object at messages.{index} is empty. Add a ContentBlock object "
                "to the content field and try again."
            )
    families._alternation(messages, "converse")
    if system_blocks and not features["system"]:
        raise validation(
            "This model doesn't support system messages. Try again without a system message or use a model that supports system messages."
        )
    tool_config = params.get("toolConfig") or (prompt or {}).get("toolConfig")
    if tool_config and not features["tools"]:
        raise validation("This model doesn't support tool use.")
    known_uses: set[str] = set()
    normalised = []
    for index, message in enumerate(messages):
        blocks = []
        for block in message["content"]:
            if "toolUse" in block:
                known_uses.add(block["toolUse"]["toolUseId"])
            if "toolResult" in block and block["toolResult"]["toolUseId"] not in known_uses:
                raise validation(
                    f"The toolResult block at messages.{index} references toolUseId "
                    f"{block['toolResult']['toolUseId']} that isn't in a preceding toolUse block."
                )
            if "toolResult" in block and not tool_config:
                raise validation(
                    "The toolConfig field must be defined when using toolUse and toolResult content blocks."
                )
            blocks.append(_decode_document(block) if "document" in block else block)
        normalised.append({"role": message["role"], "content": blocks})
    inference = dict((prompt or {}).get("inferenceConfig") or {})
    inference.update(params.get("inferenceConfig") or {})
    for name in ("temperature", "topP"):
        value = inference.get(name)
        if value is not None and not 0 <= value <= 1:
            raise validation(f"The value of {name} must be between 0 and 1.")
    max_tokens = inference.get("maxTokens", min(model.get("maxOutputTokens", 4096), 4096))
    if max_tokens < 1:
        raise validation("The maximum tokens value must be at least 1.")
    if max_tokens > model.get("maxOutputTokens", 4096):
        limit = model.get("maxOutputTokens", 4096)
        raise validation(
            f"The maximum tokens you requested exceeds the model limit of {limit}. Try again with a maximum tokens value that is lower than {limit}."
        )
    tools, choice = [], None
    if tool_config:
        for tool in tool_config.get("tools", []):
            if "toolSpec" in tool:
                spec = tool["toolSpec"]
                tools.append(
                    {
                        "name": spec["name"],
                        "description": spec.get("description", ""),
                        "schema": (spec.get("inputSchema") or {}).get("json", {}),
                        # strict tool use fills every required property (structured.py)
                        "strict": bool(spec.get("strict")) and structured.supported(model),
                    }
                )
        picked = tool_config.get("toolChoice") or {}
        choice = "any" if "any" in picked else picked["tool"]["name"] if "tool" in picked else None
    request = textmodel.Request(
        system="\n".join(b.get("text", "") for b in system_blocks if "text" in b),
        messages=normalised,
        tools=tools,
        tool_choice=choice,
        max_tokens=max_tokens,
        stop_sequences=list(inference.get("stopSequences") or []),
        output_schema=structured.schema_of(params, model),
    )
    guard_blocks: list[dict[str, Any]] = []
    grounding: list[dict[str, Any]] = []
    for message in normalised:
        for block in message["content"]:
            if "guardContent" in block:
                inner = block["guardContent"].get("text", {})
                qualifiers = inner.get("qualifiers") or ["guard_content"]
                entry = {"text": inner.get("text", ""), "qualifiers": qualifiers}
                (guard_blocks if "guard_content" in qualifiers else grounding).append(entry)
    extra: dict[str, Any] = {"grounding": grounding}
    if guard_blocks:
        extra["guard"] = guard_blocks
    else:
        texts = [b["text"] for m in normalised for b in m["content"] if "text" in b]
        extra["guard"] = [{"text": "\n".join(texts)}]
    return request, extra


def _resolve_for_converse(call: Call) -> tuple[catalogue.Resolved, dict[str, Any] | None]:
    model_id = call.params["modelId"]
    if ":prompt/" in model_id:
        from course.bedrock_sim import agent

        fixed = [
            k for k in ("additionalModelRequestFields", "inferenceConfig", "system", "toolConfig") if k in call.params
        ]
        if fixed:  # a managed prompt carries these itself
            raise validation(
                f"You can't include the {', '.join(fixed)} field(s) when the modelId is a prompt from Prompt "
                "management. Define them in the prompt instead."
            )

        rendered = agent.render_prompt(model_id, call.params.get("promptVariables") or {})
        resolved = catalogue.resolve(rendered["modelId"], call.region)
        return resolved, rendered
    if call.params.get("promptVariables"):
        raise validation("promptVariables can only be used with a prompt resource ARN as modelId.")
    return catalogue.resolve(model_id, call.region), None


def _chat(call: Call, operation: str) -> tuple[catalogue.Resolved, Guarded, Guard | None, dict[str, Any], str]:
    resolved, prompt = _resolve_for_converse(call)
    plan = serving.prepare(call, resolved, operation)  # routers, tiers, cache points (serving.py)
    model = plan.resolved.model
    request, extra = _converse_request(call.params, model, prompt)
    faults.check_context(model, textmodel.count_input_tokens(request))
    configs = (call.params.get("inferenceConfig"), (prompt or {}).get("inferenceConfig"))
    if not any("maxTokens" in (c or {}) for c in configs):
        request.max_tokens = faults.default_max_tokens(model["modelId"]) or request.max_tokens
    config = call.params.get("guardrailConfig") or {}
    guard = _guard(config.get("guardrailIdentifier"), config.get("guardrailVersion"), config.get("trace"), call.region)
    serving.admit(plan)
    guarded = _run(request, guard, extra, model["modelId"])
    result = guarded.result
    body: dict[str, Any] = {
        "output": {"message": {"role": "assistant", "content": result.blocks}},
        "stopReason": result.stop_reason,
        "usage": {
            "inputTokens": result.input_tokens,
            "outputTokens": result.output_tokens,
            "totalTokens": result.input_tokens + result.output_tokens,
        },
        "metrics": {"latencyMs": _latency(model, result.output_tokens)},
    }
    serving.finish_converse(plan, body)
    if guard is not None and guard.trace != "disabled":
        body.setdefault("trace", {})["guardrail"] = _trace(guard, guarded)
    request_id = str(uuid.uuid4())
    logged_input = {k: v for k, v in call.params.items() if k != "modelId"}
    invocation_logging.deliver(
        call.region,
        operation,
        resolved.requested,
        request_id,
        logged_input,
        body,
        result.input_tokens,
        result.output_tokens,
        extra=serving.log_fields(plan),
    )
    return resolved, guarded, guard, body, request_id


def converse(call: Call) -> Reply:
    _, _, _, body, request_id = _chat(call, "Converse")
    return Reply(body, headers={"x-amzn-RequestId": request_id})


def converse_stream(call: Call) -> Reply:
    resolved, guarded, guard, body, request_id = _chat(call, "ConverseStream")
    events: list[tuple[str, dict[str, Any]]] = [("messageStart", {"role": "assistant"})]
    for index, block in enumerate(body["output"]["message"]["content"]):
        if "toolUse" in block:
            use = block["toolUse"]
            events.append(
                (
                    "contentBlockStart",
                    {
                        "start": {"toolUse": {"toolUseId": use["toolUseId"], "name": use["name"]}},
                        "contentBlockIndex": index,
                    },
                )
            )
            events.append(
                (
                    "contentBlockDelta",
                    {"delta": {"toolUse": {"input": json.dumps(use["input"])}}, "contentBlockIndex": index},
                )
            )
        else:
            for piece in families.text_pieces(block["text"]):
                events.append(("contentBlockDelta", {"delta": {"text": piece}, "contentBlockIndex": index}))
        events.append(("contentBlockStop", {"contentBlockIndex": index}))
    events.append(("messageStop", {"stopReason": body["stopReason"]}))
    metadata: dict[str, Any] = {"usage": body["usage"], "metrics": body["metrics"]}
    if "trace" in body:
        metadata["trace"] = body["trace"]
    for key in ("performanceConfig", "serviceTier"):
        if key in body:
            metadata[key] = body[key]
    events.append(("metadata", metadata))
    return Reply(
        status=200,
        raw_body=eventstream.stream(events),
        headers={"Content-Type": "application/vnd.amazon.eventstream", "x-amzn-RequestId": request_id},
    )


# ------------------------------------------------------------------ InvokeModel


def _invoke(call: Call, operation: str) -> tuple[dict[str, Any], Any, dict[str, Any], str]:
    """(model, result-or-None, response body, request id)."""
    resolved = catalogue.resolve(call.params["modelId"], call.region)
    model = resolved.model
    content_type = call.params.get("contentType", "application/json")
    if content_type not in ("application/json", "*/*"):
        raise validation(f"The provided content type {content_type} is not supported. Use application/json.")
    try:
        body = json.loads(call.params.get("body") or b"")
    except ValueError as exc:
        raise validation("Malformed input request, please reformat your input and try again.") from exc
    if not isinstance(body, dict):
        raise validation(
            "Malformed input request: #: expected type: JSONObject, please reformat your input and try again."
        )
    plan = serving.prepare(call, resolved, operation, body)  # routers, tiers, cache points (serving.py)
    model = plan.resolved.model
    job = families.parse(body, model)
    if not isinstance(job, families.EmbedJob):
        faults.check_context(model, textmodel.count_input_tokens(job))
        if not faults.sets_max_tokens(body):
            job.max_tokens = faults.default_max_tokens(model["modelId"]) or job.max_tokens
    guard = _guard(
        call.params.get("guardrailIdentifier"),
        call.params.get("guardrailVersion"),
        call.params.get("trace"),
        call.region,
    )
    serving.admit(plan)
    request_id = str(uuid.uuid4())
    if isinstance(job, families.EmbedJob):
        if operation == "InvokeModelWithResponseStream":
            raise validation("The model is unsupported for streaming.")
        response, token_count = families.embed_response(job, model)
        served = serving.finish_invoke(plan, response, token_count, 0)
        invocation_logging.deliver(
            call.region,
            operation,
            resolved.requested,
            request_id,
            body,
            response,
            token_count,
            0,
            embedding=True,
            extra=serving.log_fields(plan),
        )
        headers = {
            "X-Amzn-Bedrock-Input-Token-Count": str(token_count),
            "X-Amzn-Bedrock-Invocation-Latency": str(_latency(model, 0)),
        } | served
        return model, None, response | {"_headers": headers}, request_id
    guarded = _run(job, guard, {}, model["modelId"])
    result = guarded.result
    response = families.render(result, model)
    if guard is not None:
        response["amazon-bedrock-guardrailAction"] = guarded.action
        if guard.trace != "disabled":
            response["amazon-bedrock-trace"] = {"guardrail": _trace(guard, guarded)}
    served = serving.finish_invoke(plan, response, result.input_tokens, result.output_tokens)
    invocation_logging.deliver(
        call.region,
        operation,
        resolved.requested,
        request_id,
        body,
        response,
        result.input_tokens,
        result.output_tokens,
        extra=serving.log_fields(plan),
    )
    headers = {
        "X-Amzn-Bedrock-Input-Token-Count": str(result.input_tokens),
        "X-Amzn-Bedrock-Output-Token-Count": str(result.output_tokens),
        "X-Amzn-Bedrock-Invocation-Latency": str(_latency(model, result.output_tokens)),
    } | served
    return model, result, response | {"_headers": headers}, request_id


def invoke_model(call: Call) -> Reply:
    _, _, response, request_id = _invoke(call, "InvokeModel")
    headers = response.pop("_headers")
    headers["x-amzn-RequestId"] = request_id
    return Reply({"body": json.dumps(response).encode("utf-8"), "contentType": "application/json"}, headers=headers)


def invoke_model_with_response_stream(call: Call) -> Reply:
    model, result, response, request_id = _invoke(call, "InvokeModelWithResponseStream")
    if not model["responseStreamingSupported"]:
        raise validation("The model is unsupported for streaming.")
    headers = response.pop("_headers")
    chunks = families.stream_chunks(result, model, _metrics(model, result))
    if "amazon-bedrock-guardrailAction" in response:
        chunks[-1]["amazon-bedrock-guardrailAction"] = response["amazon-bedrock-guardrailAction"]
    frames = eventstream.stream(
        ("chunk", {"bytes": base64.b64encode(json.dumps(chunk).encode("utf-8")).decode("ascii")}) for chunk in chunks
    )
    headers.update(
        {
            "Content-Type": "application/vnd.amazon.eventstream",
            "X-Amzn-Bedrock-Content-Type": "application/json",
            "x-amzn-RequestId": request_id,
        }
    )
    return Reply(status=200, raw_body=frames, headers=headers)


# ------------------------------------------------------------------ ApplyGuardrail, CountTokens


def apply_guardrail(call: Call) -> Reply:
    params = call.params
    record, config, version = guardrails.lookup(params["guardrailIdentifier"], params["guardrailVersion"], call.region)
    blocks = []
    for item in params["content"]:
        if "text" in item:
            blocks.append({"text": item["text"]["text"], "qualifiers": item["text"].get("qualifiers") or []})
    if not blocks:
        raise validation("The content field must contain at least one text block.")
    outcome = guardrails.evaluate(config, params["source"], blocks, params.get("outputScope", "INTERVENTIONS"))
    coverage = outcome.assessment["invocationMetrics"]["guardrailCoverage"]
    output: dict[str, Any] = {
        "usage": outcome.usage,
        "action": outcome.action,
        "actionReason": outcome.action_reason,
        "outputs": outcome.outputs,
        "assessments": [outcome.assessment],
        "guardrailCoverage": coverage,
    }
    return Reply(output)


def count_tokens(call: Call) -> Reply:
    resolved = catalogue.resolve(call.params["modelId"], call.region)
    model = resolved.model
    source = call.params["input"]
    if "invokeModel" in source:
        raw = source["invokeModel"]["body"]
        try:
            body = json.loads(base64.b64decode(raw))
        except ValueError as exc:
            raise validation("Malformed input request, please reformat your input and try again.") from exc
        job = families.parse(body, model)
        if isinstance(job, families.EmbedJob):
            from course.bedrock_sim import tokens

            return Reply({"inputTokens": sum(tokens.count(t) for t in job.texts)})
        return Reply({"inputTokens": textmodel.count_input_tokens(job)})
    if "converse" in source:
        request, _ = _converse_request(source["converse"], model, None)
        return Reply({"inputTokens": textmodel.count_input_tokens(request)})
    raise validation("The input field must contain either invokeModel or converse.")


OPERATIONS = {
    "InvokeModel": invoke_model,
    "InvokeModelWithResponseStream": invoke_model_with_response_stream,
    "Converse": converse,
    "ConverseStream": converse_stream,
    "ApplyGuardrail": apply_guardrail,
    "CountTokens": count_tokens,
}
