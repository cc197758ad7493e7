"""Faults on request: deterministic failure modes to practise troubleshooting GenAI apps.

``course.bedrock_sim.inject_fault(kind, target, **options)`` records a fault (kinds, options and
messages live in ``course/data/bedrock/faults.yaml``); the runtime and the knowledge bases ask
this module at a few fixed points:

- :func:`check_context` (always on): input over the model's context window, from the catalogue
  or lowered by a ``context_window`` fault, fails with the real ValidationException message;
- :func:`default_max_tokens`: the output limit of a request that sets none;
- :func:`after_generate`: ``unfilled_variable`` and ``format_confusion`` reshape the answer
  (the model follows JSON instructions, ``instructions.py``; a confused one drops the JSON);
- :func:`query_vector`: ``embedding_drift`` scrambles a knowledge base's query embeddings until
  :func:`heal` runs (the next ingestion job re-embeds the documents).

``throttle`` is stored here too but counted by the existing quota (``set_quota``).
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from functools import lru_cache
from typing import Any

from course.bedrock_sim import data, state, tokens
from course.bedrock_sim.protocol import validation

_STR = {"type": "string", "minLength": 1}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["kinds", "contextOverflow", "throttled", "unfilledVariable", "formatConfusion"],
    "additionalProperties": False,
    "properties": {
        "kinds": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["target", "options", "about"],
                "additionalProperties": False,
                "properties": {
                    "target": {"enum": ["model", "knowledge_base"]},
                    "options": {"type": "object", "additionalProperties": _STR},
                    "about": _STR,
                },
            },
        },
        "contextOverflow": {"type": "object", "required": ["default"], "additionalProperties": _STR},
        "throttled": _STR,
        "unfilledVariable": {
            "type": "object",
            "required": ["pattern", "replies"],
            "additionalProperties": False,
            "properties": {"pattern": _STR, "replies": {"type": "array", "minItems": 1, "items": _STR}},
        },
        "formatConfusion": {
            "type": "object",
            "required": ["jsonInstruction", "otherFormats", "buriedAfterTokens"],
            "additionalProperties": False,
            "properties": {
                "jsonInstruction": _STR,
                "otherFormats": {"type": "array", "items": _STR},
                "buriedAfterTokens": {"type": "integer", "minimum": 1},
            },
        },
    },
}
_INTEGER_OPTIONS = {"tokens", "allowed", "window"}
_MAX_TOKEN_KEYS = {"maxTokens", "max_tokens", "max_gen_len", "maxTokenCount", "max_new_tokens"}


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    document = data.load("faults.yaml", SCHEMA)
    for key in ("pattern",):
        try:
            re.compile(document["unfilledVariable"][key])
        except re.error as exc:
            raise data.DataFileError(f"faults.yaml: unfilledVariable/{key}: bad regex: {exc}") from exc
    return document


# ---------------------------------------------------------------- the public API (via __init__)


def inject(kind: str, target: str, options: dict[str, Any]) -> None:
    kinds = table()["kinds"]
    if kind not in kinds:
        raise ValueError(f"unknown fault kind {kind!r}; known kinds: {', '.join(sorted(kinds))}")
    spec = kinds[kind]
    unknown = set(options) - set(spec["options"])
    missing = set(spec["options"]) - set(options)
    if unknown or (missing and kind != "throttle"):
        raise ValueError(f"fault {kind} takes the options {sorted(spec['options']) or 'none'}; got {sorted(options)}")
    for name in set(options) & _INTEGER_OPTIONS:
        if not isinstance(options[name], int) or options[name] < (0 if name == "allowed" else 1):
            raise ValueError(f"fault {kind}: option {name} must be a positive integer")
    if spec["target"] == "model":
        from course.bedrock_sim import catalogue

        if not any(m["modelId"] == target for m in catalogue.models()):
            raise ValueError(f"fault {kind} targets a model id of the catalogue; {target!r} is not one")
    elif target not in state.get().knowledge_bases:
        raise ValueError(f"fault {kind} targets a knowledge base id; no knowledge base {target!r} exists")
    if kind == "throttle":
        from course.bedrock_sim import set_quota

        set_quota(target, options.get("allowed", 0), options.get("window"))
    state.get().faults[(kind, target)] = dict(options)


def clear(kind: str | None = None, target: str | None = None) -> None:
    faults = state.get().faults
    for key in [k for k in faults if (kind is None or k[0] == kind) and (target is None or k[1] == target)]:
        if key[0] == "throttle":
            state.get().quotas.pop(key[1], None)
        del faults[key]


def active() -> list[dict[str, Any]]:
    return [{"kind": k, "target": t, **options} for (k, t), options in sorted(state.get().faults.items())]


def _get(kind: str, target: str) -> dict[str, Any] | None:
    return state.get().faults.get((kind, target))


# ---------------------------------------------------------------- hooks used by runtime.py


def check_context(model: dict[str, Any], input_tokens: int) -> None:
    """Raise the family's ValidationException when the input exceeds the context window."""
    limits = [model.get("contextWindow")]
    fault = _get("context_window", model["modelId"])
    if fault is not None:
        limits.append(fault["tokens"])
    limit = min((x for x in limits if x), default=None)
    if limit is None or input_tokens <= limit:
        return
    messages = table()["contextOverflow"]
    template = messages.get(model["family"], messages["default"])
    raise validation(template.format(tokens=input_tokens, limit=limit))


def default_max_tokens(model_id: str) -> int | None:
    fault = _get("default_max_tokens", model_id)
    return fault["tokens"] if fault is not None else None


def sets_max_tokens(body: Any) -> bool:
    """Whether a request body names an output limit anywhere (any provider's key)."""
    if isinstance(body, dict):
        return any(k in _MAX_TOKEN_KEYS for k in body) or any(sets_max_tokens(v) for v in body.values())
    if isinstance(body, list):
        return any(sets_max_tokens(v) for v in body)
    return False


def _prompt_text(request: Any) -> tuple[str, str]:
    from course.bedrock_sim import textmodel

    users = [m for m in request.messages if m.get("role") == "user"]
    last = textmodel.message_text(users[-1]) if users else ""
    everything = "\n".join([request.system] + [textmodel.message_text(m) for m in request.messages])
    return everything, last


def _unfilled_reply(model_id: str, request: Any) -> str | None:
    if _get("unfilled_variable", model_id) is None:
        return None
    spec = table()["unfilledVariable"]
    everything, _ = _prompt_text(request)
    m = re.search(spec["pattern"], everything)
    if not m:
        return None
    from course.bedrock_sim import textmodel

    label = re.sub(r"[_.-]+", " ", m.group(1)).strip()
    template = textmodel.pick(spec["replies"], m.group(0))
    return string.Template(template).safe_substitute(placeholder=m.group(0), label=label)


def is_confusing(system: str, user_text: str) -> bool | None:
    """None if no JSON output is asked for; else whether the request for it is confusing.

    Confusing: the prompt also asks for another format, or the only JSON instruction stands in
    the user turn with more than ``buriedAfterTokens`` tokens (a long context) after it.
    """
    spec = table()["formatConfusion"]
    pattern = re.compile(spec["jsonInstruction"], re.IGNORECASE)
    in_system = pattern.search(system or "")
    in_user = list(pattern.finditer(user_text or ""))
    if not in_system and not in_user:
        return None
    text = f"{system}\n{user_text}".lower()
    if any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text) for f in spec["otherFormats"]):
        return True
    if in_system:
        return False
    after = tokens.count(user_text[in_user[-1].end() :])
    return after > spec["buriedAfterTokens"]


def _as_prose(text: str) -> str | None:
    """The values of a JSON answer (bare or in a ```json fence) as plain sentences, else None."""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    raw = fenced.group(1) if fenced else text.strip()
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    return " ".join(str(v) for v in value.values() if v not in (None, "", [], {})) or None


def after_generate(model_id: str, request: Any, result: Any) -> Any:
    """Apply answer-shaping faults to a generated :class:`textmodel.Result`."""
    if any("toolUse" in b for b in result.blocks) or not model_id:
        return result
    text = _unfilled_reply(model_id, request)
    if text is None and _get("format_confusion", model_id) is not None:
        _, last = _prompt_text(request)
        if is_confusing(request.system, last):
            text = _as_prose(result.text)  # a confused model drops the JSON it was asked for
    if text is None:
        return result
    from course.bedrock_sim import textmodel

    cut, truncated = tokens.truncate(text, request.max_tokens)
    stop = "max_tokens" if truncated else "end_turn"
    return textmodel.Result([{"text": cut}], stop, result.input_tokens, tokens.count(cut))


# ---------------------------------------------------------------- knowledge bases


def query_vector(knowledge_base_id: str, vector: list[float]) -> list[float]:
    """The query embedding, scrambled by a fixed permutation under ``embedding_drift``.

    A permutation of coordinates is what a different embedding model looks like to the index:
    every similarity the index computes becomes meaningless, yet the same query always gets
    the same (wrong) neighbours.
    """
    if _get("embedding_drift", knowledge_base_id) is None:
        return vector
    order = sorted(range(len(vector)), key=lambda i: hashlib.blake2b(f"drift:{i}".encode(), digest_size=8).digest())
    return [vector[i] for i in order]


def heal(knowledge_base_id: str) -> None:
    """Re-ingestion re-embeds every document with the current model: the drift is gone."""
    state.get().faults.pop(("embedding_drift", knowledge_base_id), None)
