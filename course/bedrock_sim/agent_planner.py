"""Deterministic planning of a simulated Bedrock agent: which action, with which arguments.

The candidates of one turn are the functions and API operations of the enabled action groups,
the enabled knowledge bases and (for a supervisor) the collaborators. Each gets a score from the
user's words (stemmed content words, stop words removed):

    score = 2 x (words in its name) + 1 x (other words in its description, its parameters'
    names and descriptions)

Names are split at ``_``, ``-``, ``/`` and camelCase. The highest score wins if it is at least 2
(ties: the one defined first). So "Where is my order?" picks ``get_order_status`` (the name holds
"order") but not a vague ``lookup`` described as "Looks things up". Arguments are then read from
the user's words by the same rules as Converse tool use (``textmodel.extract_arguments``):
numbers for number/integer parameters, a mentioned enum value, quoted strings, ``name is X``, a
word shaped like the example in the parameter's description ("such as ORD-1234"), then
capitalised names. A required parameter that is still missing is asked for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from course.bedrock_sim import data, textmodel, tokens

_TEMPLATES = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "orchestrationPrompt",
        "routingPrompt",
        "preProcessingPrompt",
        "postProcessingPrompt",
        "phrasing",
        "probingWords",
        "defaults",
    ],
    "additionalProperties": False,
    "properties": {
        "orchestrationPrompt": {"type": "string", "minLength": 1},
        "routingPrompt": {"type": "string", "minLength": 1},
        "preProcessingPrompt": {"type": "string", "minLength": 1},
        "postProcessingPrompt": {"type": "string", "minLength": 1},
        "phrasing": {
            "type": "object",
            "required": [
                "askForParameters",
                "rationaleAction",
                "rationaleKnowledgeBase",
                "rationaleCollaborator",
                "rationaleNothing",
                "preProcessingValid",
                "preProcessingInvalid",
                "preProcessingRejected",
                "actionDenied",
                "sessionSummary",
                "noCollaborator",
            ],
            "additionalProperties": False,
            "properties": {
                "askForParameters": _TEMPLATES,
                "rationaleAction": _TEMPLATES,
                "rationaleKnowledgeBase": _TEMPLATES,
                "rationaleCollaborator": _TEMPLATES,
                "rationaleNothing": _TEMPLATES,
                "preProcessingValid": {"type": "string"},
                "preProcessingInvalid": {"type": "string"},
                "preProcessingRejected": {"type": "string"},
                "actionDenied": _TEMPLATES,
                "sessionSummary": {"type": "string"},
                "noCollaborator": _TEMPLATES,
            },
        },
        "probingWords": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "defaults": {
            "type": "object",
            "required": [
                "idleSessionTTLInSeconds",
                "memoryStorageDays",
                "maxRecentSessions",
                "orchestrationMaximumLength",
            ],
            "additionalProperties": {"type": "integer", "minimum": 1},
        },
    },
}

THRESHOLD = 2.0
PARAMETER_TYPES = {"string", "number", "integer", "boolean", "array"}


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    return data.load("agents.yaml", SCHEMA)


def phrase(key: str, seed: Any, **values: Any) -> str:
    templates = settings()["phrasing"][key]
    template = textmodel.pick(templates, seed) if isinstance(templates, list) else templates
    return template.format(**values)


@dataclass
class Action:
    """One thing the agent can do in a turn."""

    kind: str  # "function", "api", "knowledge_base" or "collaborator"
    name: str  # function name, API operation name, knowledge base id or collaborator name
    description: str = ""
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> type/description/required
    group: dict[str, Any] | None = None  # the action group record (function and api)
    api_path: str | None = None
    verb: str | None = None
    body_parameters: tuple[str, ...] = ()  # api: parameters that travel in the request body
    target: dict[str, Any] | None = None  # the knowledge base association or the collaborator

    @property
    def label(self) -> str:
        return self.name if self.kind != "api" else f"{self.verb} {self.api_path}"


def split_name(name: str) -> set[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name or "")
    return set(tokens.content_terms(re.sub(r"[_/{}.-]", " ", spaced)))


def score(action: Action, text: str) -> float:
    asked = set(tokens.content_terms(text))
    name_terms = split_name(action.name) if action.kind in ("function", "api", "collaborator") else set()
    if action.kind == "api":
        name_terms |= split_name(action.api_path or "")
    other = set(tokens.content_terms(action.description))
    for pname, spec in action.parameters.items():
        other |= split_name(pname) | set(tokens.content_terms(spec.get("description", "")))
    return 2.0 * len(asked & name_terms) + len(asked & (other - name_terms))


def choose(actions: list[Action], text: str) -> tuple[Action | None, float]:
    best, best_score = None, 0.0
    for action in actions:
        value = score(action, text)
        if value > best_score:
            best, best_score = action, value
    return (best, best_score) if best_score >= THRESHOLD else (None, best_score)


def _json_type(kind: str) -> str:
    return kind if kind in PARAMETER_TYPES else "string"


def extract(action: Action, text: str, known: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[str]]:
    """Arguments read from ``text`` (plus ``known`` ones) and the required parameters still missing."""
    schema = {
        "type": "object",
        "properties": {
            name: {"type": _json_type(spec.get("type", "string")), "description": spec.get("description", "")}
            | ({"enum": spec["enum"]} if spec.get("enum") else {})
            for name, spec in action.parameters.items()
            if name not in (known or {})
        },
        "required": [],  # a missing value is asked for, never invented
    }
    found = textmodel.extract_arguments(schema, text) if schema["properties"] else {}
    arguments = {**(known or {}), **{k: v for k, v in found.items() if v not in ([], "")}}
    missing = [n for n, spec in action.parameters.items() if spec.get("required") and n not in arguments]
    return arguments, missing


def wire_value(value: Any) -> str:
    """Parameter values travel as strings in Lambda events and return-of-control payloads."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def wire_parameters(
    action: Action, arguments: dict[str, Any], names: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    chosen = names if names is not None else tuple(arguments)
    return [
        {"name": n, "type": action.parameters.get(n, {}).get("type", "string"), "value": wire_value(arguments[n])}
        for n in chosen
        if n in arguments
    ]


def probing(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in settings()["probingWords"])
