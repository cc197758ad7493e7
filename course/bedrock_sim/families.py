"""InvokeModel request and response bodies of each model family, in their real shapes.

``parse`` turns a provider-specific JSON body into either an embedding job or a
family-neutral :class:`~course.bedrock_sim.textmodel.Request`; ``render`` and
``stream_chunks`` turn a :class:`~course.bedrock_sim.textmodel.Result` back into the
provider's response body or streaming chunks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from course.bedrock_sim import embeddings, textmodel, tokens
from course.bedrock_sim.protocol import validation


def _malformed(detail: str) -> Exception:
    return validation(f"Malformed input request: {detail}, please reformat your input and try again.")


def _check_keys(body: dict[str, Any], required: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for key in required:
        if key not in body:
            raise _malformed(f"#: required key [{key}] not found")
    extra = sorted(set(body) - set(required) - set(allowed))
    if extra:
        raise _malformed(f"#: extraneous key [{extra[0]}] is not permitted")


@dataclass
class EmbedJob:
    texts: list[str]
    dimension: int
    normalize: bool
    extra: dict[str, Any]


def _alternation(messages: list[dict[str, Any]], style: str) -> None:
    if not messages:
        raise _malformed("#/messages: expected minimum item count: 1, found: 0")
    if messages[0].get("role") != "user":
        raise validation(
            'messages: first message must use the "user" role'
            if style == "anthropic"
            else "A conversation must start with a user message. Try again with a conversation that starts with a user message."
        )
    for previous, current in zip(messages, messages[1:]):
        if previous.get("role") == current.get("role"):
            raise validation(
                f'messages: roles must alternate between "user" and "assistant", but found multiple "{current.get("role")}" roles in a row'
                if style == "anthropic"
                else "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again."
            )
    for message in messages:
        if message.get("role") not in ("user", "assistant"):
            raise _malformed(f"#/messages: unexpected role [{message.get('role')}]")


def _limit(value: Any, name: str, low: float, high: float) -> None:
    if value is not None and not (isinstance(value, (int, float)) and low <= value <= high):
        raise _malformed(f"#/{name}: {value} is not in range [{low}, {high}]")


def _max_tokens(value: Any, model: dict[str, Any], name: str) -> int:
    if not isinstance(value, int) or value < 1:
        raise _malformed(f"#/{name}: expected type: Integer >= 1")
    limit = model.get("maxOutputTokens", 4096)
    if value > limit:
        raise validation(
            f"The maximum tokens you requested exceeds the model limit of {limit}. Try again with a maximum tokens value that is lower than {limit}."
        )
    return value


# ------------------------------------------------------------------ anthropic


def _anthropic_blocks(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [{"text": content}]
    if not isinstance(content, list):
        raise _malformed("#/messages/content: expected type: String or JSONArray")
    blocks = []
    for item in content:
        kind = item.get("type")
        if kind == "text":
            blocks.append({"text": item.get("text", "")})
        elif kind == "tool_use":
            blocks.append({"toolUse": {"toolUseId": item["id"], "name": item["name"], "input": item.get("input", {})}})
        elif kind == "tool_result":
            inner = item.get("content", "")
            parts = [{"text": inner}] if isinstance(inner, str) else [{"text": c.get("text", "")} for c in inner]
            blocks.append(
                {
                    "toolResult": {
                        "toolUseId": item["tool_use_id"],
                        "content": parts,
                        "status": "error" if item.get("is_error") else "success",
                    }
                }
            )
        elif kind in ("image", "document"):
            continue
        else:
            raise _malformed(f"#/messages/content: unsupported content type [{kind}]")
    return blocks


def _anthropic(body: dict[str, Any], model: dict[str, Any]) -> textmodel.Request:
    _check_keys(
        body,
        ("anthropic_version", "max_tokens", "messages"),
        (
            "system",
            "temperature",
            "top_p",
            "top_k",
            "stop_sequences",
            "tools",
            "tool_choice",
            "metadata",
            "anthropic_beta",
        ),
    )
    if body["anthropic_version"] != "bedrock-2023-05-31":
        raise validation("Invalid API version: anthropic_version must be bedrock-2023-05-31.")
    _alternation(body["messages"], "anthropic")
    _limit(body.get("temperature"), "temperature", 0, 1)
    _limit(body.get("top_p"), "top_p", 0, 1)
    system = body.get("system", "")
    if isinstance(system, list):
        system = "\n".join(b.get("text", "") for b in system)
    choice = body.get("tool_choice") or {}
    tool_choice = choice.get("name") if choice.get("type") == "tool" else choice.get("type")
    return textmodel.Request(
        system=system,
        messages=[{"role": m["role"], "content": _anthropic_blocks(m.get("content", ""))} for m in body["messages"]],
        tools=[
            {"name": t["name"], "description": t.get("description", ""), "schema": t.get("input_schema", {})}
            for t in body.get("tools", []) or []
        ],
        tool_choice=tool_choice,
        max_tokens=_max_tokens(body["max_tokens"], model, "max_tokens"),
        stop_sequences=list(body.get("stop_sequences") or []),
    )


def _anthropic_content(result: textmodel.Result) -> list[dict[str, Any]]:
    content = []
    for block in result.blocks:
        if "toolUse" in block:
            use = block["toolUse"]
            content.append(
                {
                    "type": "tool_use",
                    "id": "toolu_bdrk_" + use["toolUseId"][8:],
                    "name": use["name"],
                    "input": use["input"],
                }
            )
        else:
            content.append({"type": "text", "text": block["text"]})
    return content


def _message_id(result: textmodel.Result) -> str:
    return "msg_bdrk_" + hashlib.sha256(repr(result.blocks).encode()).hexdigest()[:24]


# ------------------------------------------------------------------ nova (messages-v1)


def _nova(body: dict[str, Any], model: dict[str, Any]) -> textmodel.Request:
    _check_keys(body, ("messages",), ("schemaVersion", "system", "inferenceConfig", "toolConfig"))
    if body.get("schemaVersion", "messages-v1") != "messages-v1":
        raise _malformed("#/schemaVersion: messages-v1 is the only supported value")
    _alternation(body["messages"], "converse")
    config = body.get("inferenceConfig") or {}
    _limit(config.get("temperature"), "inferenceConfig/temperature", 0, 1)
    _limit(config.get("top_p", config.get("topP")), "inferenceConfig/top_p", 0, 1)
    max_tokens = config.get("max_new_tokens", config.get("maxTokens", 512))
    tools = [
        {
            "name": t["toolSpec"]["name"],
            "description": t["toolSpec"].get("description", ""),
            "schema": (t["toolSpec"].get("inputSchema") or {}).get("json", {}),
        }
        for t in (body.get("toolConfig") or {}).get("tools", [])
        if "toolSpec" in t
    ]
    for message in body["messages"]:
        if isinstance(message.get("content"), str):
            raise _malformed("#/messages/content: expected type: JSONArray, found: String")
    return textmodel.Request(
        system="\n".join(b.get("text", "") for b in body.get("system", []) or []),
        messages=[{"role": m["role"], "content": m.get("content", [])} for m in body["messages"]],
        tools=tools,
        max_tokens=_max_tokens(max_tokens, model, "inferenceConfig/max_new_tokens"),
        stop_sequences=list(config.get("stopSequences") or []),
    )


def _nova_usage(result: textmodel.Result) -> dict[str, int]:
    return {
        "inputTokens": result.input_tokens,
        "outputTokens": result.output_tokens,
        "totalTokens": result.input_tokens + result.output_tokens,
        "cacheReadInputTokenCount": 0,
        "cacheWriteInputTokenCount": 0,
    }


# ------------------------------------------------------------------ titan text, llama, mistral

_LLAMA_TURN = re.compile(r"<\|start_header_id\|>(\w+)<\|end_header_id\|>(.*?)(?:<\|eot_id\|>|$)", re.DOTALL)


def _prompt_request(
    prompt: str, max_tokens: int, stops: list[str], model: dict[str, Any], name: str
) -> textmodel.Request:
    system, messages = "", []
    turns = _LLAMA_TURN.findall(prompt)
    if turns:
        for role, content in turns:
            if role == "system":
                system = content.strip()
            elif content.strip():
                messages.append(
                    {
                        "role": "assistant" if role == "assistant" else "user",
                        "content": [{"text": content.strip()}],
                    }
                )
        messages = [m for m in messages if m["role"] == "user"][-1:] or [{"role": "user", "content": [{"text": ""}]}]
    else:
        cleaned = re.sub(r"</?s>|\[/?INST\]|<<\/?SYS>>", " ", prompt)
        cleaned = re.sub(r"\n?\s*(Bot|Assistant)\s*:\s*$", "", cleaned.strip())
        cleaned = re.sub(r"^\s*User\s*:\s*", "", cleaned)
        messages = [{"role": "user", "content": [{"text": cleaned.strip()}]}]
    return textmodel.Request(
        system=system,
        messages=messages,
        max_tokens=_max_tokens(max_tokens, model, name),
        stop_sequences=stops,
    )


def _titan_text(body: dict[str, Any], model: dict[str, Any]) -> textmodel.Request:
    _check_keys(body, ("inputText",), ("textGenerationConfig",))
    config = body.get("textGenerationConfig") or {}
    unknown = set(config) - {"maxTokenCount", "temperature", "topP", "stopSequences"}
    if unknown:
        raise _malformed(f"#/textGenerationConfig: extraneous key [{sorted(unknown)[0]}] is not permitted")
    _limit(config.get("temperature"), "textGenerationConfig/temperature", 0, 1)
    if not body["inputText"]:
        raise _malformed("#/inputText: expected minLength: 1, actual: 0")
    return _prompt_request(
        body["inputText"],
        config.get("maxTokenCount", 512),
        list(config.get("stopSequences") or []),
        model,
        "textGenerationConfig/maxTokenCount",
    )


def _llama(body: dict[str, Any], model: dict[str, Any]) -> textmodel.Request:
    _check_keys(body, ("prompt",), ("max_gen_len", "temperature", "top_p", "images"))
    _limit(body.get("temperature"), "temperature", 0, 1)
    return _prompt_request(body["prompt"], body.get("max_gen_len", 512), [], model, "max_gen_len")


def _mistral(body: dict[str, Any], model: dict[str, Any]) -> textmodel.Request:
    _check_keys(body, ("prompt",), ("max_tokens", "temperature", "top_p", "top_k", "stop"))
    _limit(body.get("temperature"), "temperature", 0, 1)
    return _prompt_request(
        body["prompt"], body.get("max_tokens", 512), list(body.get("stop") or []), model, "max_tokens"
    )


# ------------------------------------------------------------------ embeddings


def _embed_job(body: dict[str, Any], model: dict[str, Any]) -> EmbedJob:
    family = model["family"]
    if family == "titan-embed-v2":
        _check_keys(body, ("inputText",), ("dimensions", "normalize", "embeddingTypes"))
        dimension = body.get("dimensions", model["defaultDimension"])
        if dimension not in model["embeddingDimensions"]:
            raise _malformed(f"#/dimensions: {dimension} is not a valid enum value")
        if not isinstance(body["inputText"], str) or not body["inputText"]:
            raise _malformed("#/inputText: expected minLength: 1, actual: 0")
        types = body.get("embeddingTypes", ["float"])
        if not set(types) <= {"float", "binary"}:
            raise _malformed("#/embeddingTypes: allowed values are float and binary")
        return EmbedJob([body["inputText"]], dimension, bool(body.get("normalize", True)), {"types": types})
    if family == "titan-embed-v1":
        _check_keys(body, ("inputText",), ())
        if not body["inputText"]:
            raise _malformed("#/inputText: expected minLength: 1, actual: 0")
        return EmbedJob([body["inputText"]], model["defaultDimension"], True, {})
    _check_keys(body, ("texts", "input_type"), ("truncate", "embedding_types"))
    if body["input_type"] not in ("search_document", "search_query", "classification", "clustering"):
        raise _malformed("#/input_type: not a valid enum value")
    if not body["texts"] or len(body["texts"]) > 96:
        raise _malformed("#/texts: expected between 1 and 96 items")
    return EmbedJob(list(body["texts"]), model["defaultDimension"], True, {})


def embed_response(job: EmbedJob, model: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """(response body, input token count) of an embedding job."""
    vectors = [embeddings.embed(t, job.dimension, job.normalize) for t in job.texts]
    token_count = sum(tokens.count(t) for t in job.texts)
    family = model["family"]
    if family == "titan-embed-v2":
        by_type: dict[str, Any] = {}
        if "float" in job.extra["types"]:
            by_type["float"] = vectors[0]
        if "binary" in job.extra["types"]:
            by_type["binary"] = [1 if v > 0 else 0 for v in vectors[0]]
        return {
            "embedding": vectors[0],
            "embeddingsByType": by_type,
            "inputTextTokenCount": token_count,
        }, token_count
    if family == "titan-embed-v1":
        return {"embedding": vectors[0], "inputTextTokenCount": token_count}, token_count
    digest = hashlib.sha256(repr(job.texts).encode()).hexdigest()
    body = {
        "embeddings": vectors,
        "id": f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}",
        "response_type": "embeddings_floats",
        "texts": [t.lower() for t in job.texts],
    }
    return body, token_count


# ------------------------------------------------------------------ dispatch

TEXT_PARSERS = {
    "anthropic-messages": _anthropic,
    "nova": _nova,
    "titan-text": _titan_text,
    "llama": _llama,
    "mistral": _mistral,
}
EMBED_FAMILIES = ("titan-embed-v2", "titan-embed-v1", "cohere-embed")


def parse(body: dict[str, Any], model: dict[str, Any]) -> EmbedJob | textmodel.Request:
    family = model["family"]
    if family in EMBED_FAMILIES:
        return _embed_job(body, model)
    if family in TEXT_PARSERS:
        return TEXT_PARSERS[family](body, model)
    raise validation(
        f"The course simulator does not run {model['modelName']} ({family} models); "
        "it simulates text and embedding models only."
    )


_TITAN_REASON = {
    "end_turn": "FINISH",
    "max_tokens": "LENGTH",
    "stop_sequence": "STOP_CRITERIA_MET",
    "guardrail_intervened": "CONTENT_FILTERED",
}
_SHORT_REASON = {
    "end_turn": "stop",
    "max_tokens": "length",
    "stop_sequence": "stop",
    "guardrail_intervened": "stop",
    "tool_use": "stop",
}


def render(result: textmodel.Result, model: dict[str, Any]) -> dict[str, Any]:
    """The InvokeModel response body for ``result``."""
    family = model["family"]
    if family == "anthropic-messages":
        return {
            "id": _message_id(result),
            "type": "message",
            "role": "assistant",
            "model": model["modelId"].split(".", 1)[1].rsplit("-v", 1)[0],
            "content": _anthropic_content(result),
            "stop_reason": result.stop_reason,
            "stop_sequence": result.stop_sequence,
            "usage": {"input_tokens": result.input_tokens, "output_tokens": result.output_tokens},
        }
    if family == "nova":
        return {
            "output": {"message": {"role": "assistant", "content": result.blocks}},
            "stopReason": result.stop_reason,
            "usage": _nova_usage(result),
        }
    if family == "titan-text":
        return {
            "inputTextTokenCount": result.input_tokens,
            "results": [
                {
                    "tokenCount": result.output_tokens,
                    "outputText": result.text,
                    "completionReason": _TITAN_REASON.get(result.stop_reason, "FINISH"),
                }
            ],
        }
    if family == "llama":
        return {
            "generation": result.text,
            "prompt_token_count": result.input_tokens,
            "generation_token_count": result.output_tokens,
            "stop_reason": _SHORT_REASON.get(result.stop_reason, "stop"),
        }
    return {"outputs": [{"text": result.text, "stop_reason": _SHORT_REASON.get(result.stop_reason, "stop")}]}


def text_pieces(text: str, per_piece: int = 4) -> list[str]:
    """Split ``text`` into streaming deltas of ``per_piece`` tokens; they concatenate back to it."""
    offsets = tokens.spans(text)
    if not offsets:
        return [text] if text else []
    cuts = [offsets[i][0] for i in range(per_piece, len(offsets), per_piece)]
    bounds = [0] + cuts + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def stream_chunks(result: textmodel.Result, model: dict[str, Any], metrics: dict[str, int]) -> list[dict[str, Any]]:
    """The JSON chunks InvokeModelWithResponseStream sends for ``result``."""
    family = model["family"]
    pieces = text_pieces(result.text)
    chunks: list[dict[str, Any]] = []
    if family == "anthropic-messages":
        start = render(result, model)
        start["content"], start["stop_reason"], start["stop_sequence"] = [], None, None
        start["usage"] = {"input_tokens": result.input_tokens, "output_tokens": 1}
        chunks.append({"type": "message_start", "message": start})
        for index, block in enumerate(_anthropic_content(result)):
            if block["type"] == "text":
                chunks.append(
                    {
                        "type": "content_block_start",
                        "index": index,
                        "content_block": {"type": "text", "text": ""},
                    }
                )
                chunks += [
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "text_delta", "text": p},
                    }
                    for p in text_pieces(block["text"])
                ]
            else:
                chunks.append(
                    {
                        "type": "content_block_start",
                        "index": index,
                        "content_block": {
                            "type": "tool_use",
                            "id": block["id"],
                            "name": block["name"],
                            "input": {},
                        },
                    }
                )
                import json

                chunks.append(
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])},
                    }
                )
            chunks.append({"type": "content_block_stop", "index": index})
        chunks.append(
            {
                "type": "message_delta",
                "delta": {"stop_reason": result.stop_reason, "stop_sequence": result.stop_sequence},
                "usage": {"output_tokens": result.output_tokens},
            }
        )
        chunks.append({"type": "message_stop", "amazon-bedrock-invocationMetrics": metrics})
        return chunks
    if family == "nova":
        chunks.append({"messageStart": {"role": "assistant"}})
        chunks += [{"contentBlockDelta": {"delta": {"text": p}, "contentBlockIndex": 0}} for p in pieces]
        chunks.append({"contentBlockStop": {"contentBlockIndex": 0}})
        chunks.append({"messageStop": {"stopReason": result.stop_reason}})
        chunks.append({"metadata": {"usage": _nova_usage(result)}, "amazon-bedrock-invocationMetrics": metrics})
        return chunks
    pieces = pieces or [""]
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        if family == "titan-text":
            chunk: dict[str, Any] = {
                "outputText": piece,
                "index": 0,
                "totalOutputTextTokenCount": result.output_tokens if last else None,
                "completionReason": _TITAN_REASON.get(result.stop_reason, "FINISH") if last else None,
                "inputTextTokenCount": result.input_tokens if i == 0 else None,
            }
        elif family == "llama":
            chunk = {
                "generation": piece,
                "prompt_token_count": result.input_tokens if i == 0 else None,
                "generation_token_count": tokens.count("".join(pieces[: i + 1])),
                "stop_reason": _SHORT_REASON.get(result.stop_reason, "stop") if last else None,
            }
        else:
            chunk = {
                "outputs": [{"text": piece, "stop_reason": _SHORT_REASON.get(result.stop_reason) if last else None}]
            }
        if last:
            chunk["amazon-bedrock-invocationMetrics"] = metrics
        chunks.append(chunk)
    return chunks


def guarded_input_text(request: textmodel.Request) -> str:
    """The user text a guardrail checks for an InvokeModel request."""
    return "\n".join(textmodel.message_text(m) for m in request.messages if m.get("role") == "user")
