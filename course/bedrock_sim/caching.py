"""Prompt caching: cache checkpoints in a request, the simulated cache, and the usage they produce.

A checkpoint marks the end of a prompt prefix: a Converse ``cachePoint`` block (in ``system``,
``messages`` or ``toolConfig.tools``), a Nova ``cachePoint`` block in an InvokeModel body, or an
Anthropic ``cache_control`` on a block (inclusive). The prefix is read in the order tools ->
system -> messages, as the models process it. Rules (AWS behaviour, per-model numbers from the
catalogue's ``promptCaching``):

- a model without ``promptCaching`` rejects checkpoints; more than ``maxCheckpoints`` or a TTL
  the model does not offer is a ValidationException; a field the model cannot cache is too;
- a checkpoint whose segment (tokens since the previous counted checkpoint) is shorter than
  ``minTokens`` is silently not cached, and the request still succeeds;
- a request reads the longest prefix still in the cache (``cacheReadInputTokens``) and writes
  every longer counted checkpoint (``cacheWriteInputTokens``, split by TTL in ``cacheDetails``);
  a hit renews the entry's time-to-live. Entries expire on the simulated clock (see serving.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from course.bedrock_sim import operations_data, state, tokens
from course.bedrock_sim.protocol import validation


@dataclass
class Checkpoint:
    tokens: int  # cumulative prefix tokens up to this checkpoint
    key: str  # hash of the prefix content (and the model)
    ttl: str
    field: str


@dataclass
class Usage:
    read: int = 0
    write: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)  # [{"ttl", "inputTokens"}] of writes

    @property
    def active(self) -> bool:
        return bool(self.read or self.write)


def _store() -> dict[str, dict[str, Any]]:
    return state.get().ops.setdefault("cache", {})


# ------------------------------------------------------------------ token counts per block


def _document_text(block: dict[str, Any]) -> str:
    document = block["document"]
    source = document.get("source", {})
    text = ""
    if source.get("bytes") is not None:
        try:
            text = base64.b64decode(source["bytes"]).decode("utf-8", errors="replace")
        except ValueError:
            text = ""
    elif "text" in source:
        text = source["text"]
    return f'<document name="{document.get("name", "document")}">{text}</document>'


def _converse_block_tokens(block: dict[str, Any]) -> int:
    from course.bedrock_sim import textmodel

    if "document" in block:
        return tokens.count(_document_text(block))
    return tokens.count(textmodel.block_text(block))


def _tool_tokens(spec: dict[str, Any], schema_key: str = "inputSchema") -> int:
    schema = spec.get(schema_key) or {}
    if schema_key == "inputSchema":
        schema = schema.get("json", {})
    return (
        tokens.count(spec.get("name", ""))
        + tokens.count(spec.get("description", ""))
        + tokens.count(json.dumps(schema, sort_keys=True))
    )


# ------------------------------------------------------------------ finding checkpoints


def _segments_converse(params: dict[str, Any]) -> list[tuple[str, Any, int, dict[str, Any] | None]]:
    """(field, content, tokens, cachePoint or None) in prompt order: tools, system, messages."""
    out: list[tuple[str, Any, int, dict[str, Any] | None]] = []
    for tool in (params.get("toolConfig") or {}).get("tools", []) or []:
        if "cachePoint" in tool:
            out.append(("tools", None, 0, tool["cachePoint"]))
        elif "toolSpec" in tool:
            out.append(("tools", tool["toolSpec"], _tool_tokens(tool["toolSpec"]), None))
    for block in params.get("system") or []:
        if "cachePoint" in block:
            out.append(("system", None, 0, block["cachePoint"]))
        else:
            out.append(("system", block, _converse_block_tokens(block), None))
    for index, message in enumerate(params.get("messages") or []):
        for block in message.get("content", []):
            if "cachePoint" in block:
                out.append(("messages", None, 0, block["cachePoint"]))
            else:
                out.append(("messages", [index, message.get("role"), block], _converse_block_tokens(block), None))
    return out


def _anthropic_block_tokens(block: Any) -> int:
    if isinstance(block, str):
        return tokens.count(block)
    kind = block.get("type")
    if kind == "text":
        return tokens.count(block.get("text", ""))
    if kind == "tool_use":
        return tokens.count(f"{block.get('name', '')} {json.dumps(block.get('input', {}), sort_keys=True)}")
    if kind == "tool_result":
        inner = block.get("content", "")
        return tokens.count(inner) if isinstance(inner, str) else sum(tokens.count(c.get("text", "")) for c in inner)
    return 0


def _segments_invoke(body: dict[str, Any], family: str) -> list[tuple[str, Any, int, dict[str, Any] | None]]:
    if family == "nova":
        return _segments_converse(body)
    out: list[tuple[str, Any, int, dict[str, Any] | None]] = []
    if family != "anthropic-messages":
        return out

    def marked(item: Any) -> dict[str, Any] | None:
        control = item.get("cache_control") if isinstance(item, dict) else None
        if control is None:
            return None
        kind = "default" if control.get("type") == "ephemeral" else control.get("type")  # checked with the rest
        return {"type": kind, **({"ttl": control["ttl"]} if control.get("ttl") else {})}

    for tool in body.get("tools") or []:
        out.append(("tools", tool, _tool_tokens(tool, "input_schema"), None))
        if marked(tool):
            out.append(("tools", None, 0, marked(tool)))
    system = body.get("system")
    for block in [system] if isinstance(system, str) else system or []:
        out.append(("system", block, _anthropic_block_tokens(block), None))
        if marked(block):
            out.append(("system", None, 0, marked(block)))
    for index, message in enumerate(body.get("messages") or []):
        content = message.get("content", "")
        for block in [content] if isinstance(content, str) else content:
            out.append(("messages", [index, message.get("role"), block], _anthropic_block_tokens(block), None))
            if marked(block):
                out.append(("messages", None, 0, marked(block)))
    return out


def _checkpoints(
    model: dict[str, Any], segments: list[tuple[str, Any, int, dict[str, Any] | None]]
) -> list[Checkpoint]:
    points = [s for s in segments if s[3] is not None]
    if not points:
        return []
    rules = model.get("promptCaching")
    if rules is None:
        raise validation(
            f"The model {model['modelId']} doesn't support prompt caching. Remove the cache checkpoints "
            "(cachePoint or cache_control) from the request and try again."
        )
    if len(points) > rules["maxCheckpoints"]:
        raise validation(
            f"A maximum of {rules['maxCheckpoints']} cache checkpoints may be provided. Found {len(points)}."
        )
    out: list[Checkpoint] = []
    digest = hashlib.sha256(model["modelId"].encode())
    running = 0
    counted = 0  # tokens at the last counted checkpoint
    for name, content, count, point in segments:
        if point is None:
            running += count
            digest.update(json.dumps([name, content], sort_keys=True, default=str).encode())
            continue
        if point.get("type") != "default":
            raise validation(
                f"The cache point type {point.get('type')!r} is invalid. The only supported type is default."
            )
        if name not in rules["fields"]:
            raise validation(f"The model {model['modelId']} doesn't support cache checkpoints in {name}.")
        ttl = point.get("ttl", "5m")
        if ttl not in rules["ttls"]:
            raise validation(
                f"The cache TTL {ttl} isn't supported by model {model['modelId']}. "
                f"Supported values: {', '.join(rules['ttls'])}."
            )
        if running - counted >= rules["minTokens"]:  # shorter segments are not cached (no error)
            out.append(Checkpoint(running, digest.copy().hexdigest(), ttl, name))
            counted = running
    return out


def converse_checkpoints(params: dict[str, Any], model: dict[str, Any]) -> list[Checkpoint]:
    return _checkpoints(model, _segments_converse(params))


def invoke_checkpoints(body: dict[str, Any], model: dict[str, Any]) -> list[Checkpoint]:
    return _checkpoints(model, _segments_invoke(body, model["family"]))


def has_markers(params: dict[str, Any]) -> bool:
    return any(s[3] is not None for s in _segments_converse(params))


# ------------------------------------------------------------------ the cache itself


def apply(checkpoints: list[Checkpoint], total_input: int, now: float) -> Usage:
    """Read the longest live prefix, write the longer checkpoints, renew what was hit."""
    if not checkpoints:
        return Usage()
    seconds = operations_data.load()["cacheTtlSeconds"]
    store = _store()
    read_at = -1
    for index in range(len(checkpoints) - 1, -1, -1):
        entry = store.get(checkpoints[index].key)
        if entry is not None and entry["expires"] > now:
            read_at = index
            break
    usage = Usage()
    if read_at >= 0:
        usage.read = min(checkpoints[read_at].tokens, total_input)
        for point in checkpoints[: read_at + 1]:  # a hit renews the prefix and its shorter parts
            if point.key in store:
                store[point.key]["expires"] = now + seconds[store[point.key]["ttl"]]
    previous = usage.read
    by_ttl: dict[str, int] = {}
    for point in checkpoints[read_at + 1 :]:
        written = max(0, min(point.tokens, total_input) - previous)
        previous = max(previous, point.tokens)
        store[point.key] = {"ttl": point.ttl, "expires": now + seconds[point.ttl], "tokens": point.tokens}
        by_ttl[point.ttl] = by_ttl.get(point.ttl, 0) + written
    usage.write = sum(by_ttl.values())
    usage.details = [{"ttl": ttl, "inputTokens": n} for ttl, n in by_ttl.items() if n]
    return usage


def entries() -> int:
    """How many prefixes the simulated cache holds (expired ones included)."""
    return len(_store())
