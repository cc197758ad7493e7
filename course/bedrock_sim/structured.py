"""Structured output: Converse ``outputConfig.textFormat`` (JSON schema) and strict tool use.

With a JSON schema the simulated model answers with one JSON document that validates against
the schema: each property is filled from the user's words as tool inputs are
(``textmodel.extract_arguments``: numbers, mentioned enum values, quoted strings, ``name is X``,
capitalised names), enum properties that are not mentioned take the value sharing most words
with the text, nested objects are filled the same way, and required properties the text does
not give get the type's empty value ("", 0, false, [], {}, the first enum value). Only models
whose catalogue entry says ``converse.structuredOutput`` accept a schema. Structured output
constrains the format, not the decision to answer: a harmful request is still refused in plain
text, and ``maxTokens`` can still cut the JSON short (stop reason ``max_tokens``).
"""

from __future__ import annotations

import json
from typing import Any

from course.bedrock_sim import tokens
from course.bedrock_sim.protocol import validation

_EMPTY = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": [], "object": {}, "null": None}


def supported(model: dict[str, Any]) -> bool:
    """Does the catalogue say this model honours JSON-schema output and strict tool use?"""
    return bool((model.get("converse") or {}).get("structuredOutput"))


def schema_of(params: dict[str, Any], model: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a Converse request asks for, checked as the service checks it, or None."""
    config = params.get("outputConfig") or {}
    text_format = config.get("textFormat")
    if not text_format:
        return None
    if not supported(model):
        raise validation(
            "This model doesn't support the outputConfig.textFormat field. Remove outputConfig.textFormat and try again."
        )
    raw = ((text_format.get("structure") or {}).get("jsonSchema") or {}).get("schema")
    if raw is None:
        raise validation("The outputConfig.textFormat.structure field must contain a jsonSchema.")
    try:
        schema = json.loads(raw)
    except ValueError as exc:
        raise validation(
            "The JSON schema in outputConfig.textFormat.structure.jsonSchema.schema isn't valid JSON."
        ) from exc
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise validation('The JSON schema in outputConfig.textFormat must describe an object ("type": "object").')
    return schema


def _kind(spec: dict[str, Any]) -> str:
    kind = spec.get("type", "string")
    if isinstance(kind, list):  # e.g. ["string", "null"]
        kind = next((k for k in kind if k != "null"), "null")
    return kind


def _best_enum(spec: dict[str, Any], text: str) -> Any:
    asked = set(tokens.content_terms(text))
    options = spec["enum"]
    scored = [(len(asked & set(tokens.content_terms(str(o).replace("_", " ")))), -i, o) for i, o in enumerate(options)]
    return max(scored)[2]


_PROPER = r"[A-Z][\w'-]*(?: (?:de |da |van |von )?[A-Z][\w'-]*)*"
# Value patterns tried first for a property whose name contains the key (README.md).
_HINTS: list[tuple[tuple[str, ...], str]] = [
    (("email",), r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    (("phone", "mobile"), r"(?:\+?\d[\d ().-]{6,}\d)"),
    (
        ("date", "day"),
        r"\d{4}-\d{2}-\d{2}|\d{1,2} (?:January|February|March|April|May|June|July|August|September|"
        r"October|November|December) \d{4}",
    ),
    (("age",), r"(\d{1,3}) years? old"),
    (("city", "country", "location", "place", "town"), rf"\b(?:in|from|at|to) ({_PROPER})"),
    (("id", "number", "code", "reference", "order"), r"\b[A-Z]{2,}-?\d{3,}\b"),
    (("amount", "price", "total", "cost", "fee"), r"[$€£]?\s?\d+(?:[.,]\d{1,2})?"),
    (("name",), rf"(?:name is|name:|I am|I'm|this is) ({_PROPER})"),
]


def _hinted(name: str, kind: str, text: str) -> Any:
    """A value for property ``name`` found by the hint patterns, or None."""
    import re

    words = _hint_keys(name)
    for keys, pattern in _HINTS:
        if not words & set(keys):
            continue
        m = re.search(pattern, text)
        if not m:
            continue
        raw = (m.group(1) if m.groups() else m.group(0)).strip()
        if kind in ("integer", "number"):
            digits = re.sub(r"[^\d.]", "", raw.replace(",", "."))
            if not digits:
                continue
            return int(float(digits)) if kind == "integer" else float(digits)
        if kind == "string":
            return raw
    return None


def _hint_keys(name: str) -> set[str]:
    import re

    words = set(re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name.lower()))
    return {k for keys, _ in _HINTS for k in keys if k in words}


def extract(schema: dict[str, Any], text: str) -> dict[str, Any]:
    """Values for the flat properties of ``schema`` from ``text``: hint patterns, then tool-input rules.

    A property whose name carries a hint (email, phone, date, age, city, id, amount...) takes only
    what its pattern finds; the others get textmodel's tool-input rules on the rest of the text.
    """
    from course.bedrock_sim import textmodel

    properties = schema.get("properties", {}) or {}
    found: dict[str, Any] = {}
    rest = text
    others = {}
    for name, spec in properties.items():
        value = _hinted(name, _kind(spec), rest) if _hint_keys(name) else None
        # Names and numbers fall back to the tool-input rules; other hinted values (an e-mail,
        # a date, an id) are left missing rather than guessed.
        if not _hint_keys(name) or _hint_keys(name) == {"name"} or _kind(spec) in ("integer", "number"):
            others[name] = spec
        if value is not None:
            found[name] = value
            rest = rest.replace(str(value), " ")
    unfound = {k: v for k, v in others.items() if k not in found}
    # No "required" here: a value the text does not give stays missing (no guessed words).
    found.update(textmodel.extract_arguments({"properties": unfound, "required": []}, rest))
    return found


def fill(schema: dict[str, Any], text: str) -> dict[str, Any]:
    """An object following ``schema`` with values taken from ``text``."""
    properties = schema.get("properties", {}) or {}
    flat = {k: v for k, v in properties.items() if _kind(v) != "object" and "enum" not in v}
    found = extract({"properties": flat, "required": schema.get("required", [])}, text)
    out: dict[str, Any] = {}
    lowered = text.lower()
    for name, spec in properties.items():
        kind = _kind(spec)
        if "enum" in spec:
            mentioned = next((e for e in spec["enum"] if str(e).lower() in lowered), None)
            out[name] = mentioned if mentioned is not None else _best_enum(spec, text)
        elif kind == "object":
            out[name] = fill(spec, text)
        elif name in found:
            out[name] = found[name]
    return complete(schema, out)


def complete(schema: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every required property present (the type's empty value when missing)."""
    out = dict(values)
    properties = schema.get("properties", {}) or {}
    for name in schema.get("required", []) or []:
        if name in out:
            continue
        spec = properties.get(name, {})
        if "enum" in spec and spec["enum"]:
            out[name] = spec["enum"][0]
        elif _kind(spec) == "object":
            out[name] = complete(spec, {})
        else:
            out[name] = _EMPTY.get(_kind(spec), "")
    order = list(properties)
    return dict(sorted(out.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def respond(request: Any) -> str:
    """The model's text under an ``outputConfig`` schema: JSON, or a plain refusal."""
    from course.bedrock_sim import instructions

    reading = instructions.read(request)
    if instructions.harmful(reading.user):
        return instructions.rules().replies["refusal"]
    source = "\n".join(reading.data) or reading.user
    return json.dumps(fill(request.output_schema or {}, source))
