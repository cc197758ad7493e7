"""Load and validate the simulator's data files in ``course/data/bedrock/``.

Each file is YAML checked against a JSON Schema at load time, so a typo in the catalogue
or a word list fails loudly (``DataFileError``) instead of producing odd model behaviour.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "bedrock"

_STR_LIST = {"type": "array", "items": {"type": "string"}}
_MODALITIES = {"type": "array", "items": {"enum": ["TEXT", "IMAGE", "EMBEDDING", "VIDEO", "SPEECH"]}}

MODELS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["models", "inferenceProfilePrefixes"],
    "properties": {
        "inferenceProfilePrefixes": _STR_LIST,
        "models": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "modelId",
                    "modelName",
                    "providerName",
                    "family",
                    "inputModalities",
                    "outputModalities",
                    "responseStreamingSupported",
                    "inferenceTypesSupported",
                    "pricing",
                    "latency",
                ],
                "additionalProperties": False,
                "properties": {
                    "modelId": {"type": "string", "pattern": r"^[a-z0-9-]+\.[a-z0-9.:-]+$"},
                    "modelName": {"type": "string"},
                    "providerName": {"type": "string"},
                    "family": {
                        "enum": [
                            "titan-embed-v2",
                            "titan-embed-v1",
                            "cohere-embed",
                            "titan-text",
                            "nova",
                            "anthropic-messages",
                            "llama",
                            "mistral",
                            "image",
                            "rerank",
                        ]
                    },
                    "inputModalities": _MODALITIES,
                    "outputModalities": _MODALITIES,
                    "responseStreamingSupported": {"type": "boolean"},
                    "customizationsSupported": {
                        "type": "array",
                        "items": {"enum": ["FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"]},
                    },
                    "inferenceTypesSupported": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"enum": ["ON_DEMAND", "PROVISIONED", "INFERENCE_PROFILE"]},
                    },
                    "lifecycleStatus": {"enum": ["ACTIVE", "LEGACY"]},
                    "embeddingDimensions": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                    "defaultDimension": {"type": "integer", "minimum": 1},
                    "maxInputTokens": {"type": "integer", "minimum": 1},
                    "maxOutputTokens": {"type": "integer", "minimum": 1},
                    "contextWindow": {"type": "integer", "minimum": 1},
                    # Operations (operations notebook): when and where each fact was checked,
                    # which cross-Region profiles exist, caching, tiers, latency-optimised Regions.
                    "checked": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    "sources": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^https://"}},
                    "crossRegionProfiles": {"type": "array", "items": {"enum": ["us", "eu", "apac", "global"]}},
                    "promptCaching": {
                        "type": "object",
                        "required": ["minTokens", "maxCheckpoints", "ttls", "fields"],
                        "additionalProperties": False,
                        "properties": {
                            "minTokens": {"type": "integer", "minimum": 1},
                            "maxCheckpoints": {"type": "integer", "minimum": 1},
                            "ttls": {"type": "array", "minItems": 1, "items": {"enum": ["5m", "1h"]}},
                            "fields": {"type": "array", "items": {"enum": ["system", "messages", "tools"]}},
                        },
                    },
                    "serviceTiers": {"type": "array", "items": {"enum": ["priority", "flex"]}},
                    "latencyOptimizedRegions": {"type": "array", "items": {"type": "string"}},
                    "batchInference": {"type": "boolean"},
                    "customModelOnDemand": {"type": "boolean"},
                    "converse": {
                        "type": "object",
                        "required": ["system", "tools"],
                        "properties": {
                            "system": {"type": "boolean"},
                            "tools": {"type": "boolean"},
                            # Converse outputConfig JSON schema and strict tool use (structured.py)
                            "structuredOutput": {"type": "boolean"},
                        },
                    },
                    "pricing": {
                        "type": "object",
                        "required": ["inputPer1kTokens", "outputPer1kTokens"],
                        "additionalProperties": {"type": "number", "minimum": 0},
                    },
                    "latency": {
                        "type": "object",
                        "required": ["firstTokenMs", "perTokenMs"],
                        "additionalProperties": {"type": "number", "minimum": 0},
                    },
                },
            },
        },
    },
}

_CONFIDENCE = {"enum": ["LOW", "MEDIUM", "HIGH"]}
LEXICON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["contentFilters", "profanity", "piiPatterns"],
    "additionalProperties": False,
    "properties": {
        "contentFilters": {
            "type": "object",
            "propertyNames": {"enum": ["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT", "PROMPT_ATTACK"]},
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["term", "confidence"],
                    "additionalProperties": False,
                    "properties": {"term": {"type": "string", "minLength": 1}, "confidence": _CONFIDENCE},
                },
            },
        },
        "profanity": _STR_LIST,
        "piiPatterns": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
    },
}

_TEMPLATES = {"type": "array", "minItems": 1, "items": {"type": "string"}}
PHRASING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "noAnswer",
        "ragNoAnswer",
        "toolPreamble",
        "toolResultAnswer",
        "toolErrorAnswer",
        "summaryPrefix",
        "generic",
        "greeting",
        "emptyTopic",
    ],
    "additionalProperties": False,
    "properties": {
        "noAnswer": _TEMPLATES,
        "ragNoAnswer": {"type": "string"},
        "toolPreamble": _TEMPLATES,
        "toolResultAnswer": _TEMPLATES,
        "toolErrorAnswer": _TEMPLATES,
        "summaryPrefix": {"type": "string"},
        "generic": _TEMPLATES,
        "greeting": _TEMPLATES,
        "emptyTopic": {"type": "string"},
    },
}


class DataFileError(ValueError):
    """A data file in course/data/bedrock is missing or does not match its schema."""


def load(name: str, schema: dict[str, Any]) -> Any:
    """Read ``course/data/bedrock/<name>`` and validate it against ``schema``."""
    import fastjsonschema  # compiled validation; jsonschema costs seconds to import in a kernel
    import yaml

    from course import yamlio

    path = DATA_DIR / name
    try:
        document = yamlio.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"cannot read {path}: {exc}") from exc
    try:
        fastjsonschema.validate(schema, document)
    except fastjsonschema.JsonSchemaException as exc:
        raise DataFileError(f"{path.name}: {exc}") from exc
    return document


@lru_cache(maxsize=1)
def models() -> dict[str, Any]:
    return load("models.yaml", MODELS_SCHEMA)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    import re

    document = load("guardrail_lexicon.yaml", LEXICON_SCHEMA)
    for entity, pattern in document["piiPatterns"].items():
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataFileError(f"guardrail_lexicon.yaml: piiPatterns/{entity}: bad regex: {exc}") from exc
    return document


@lru_cache(maxsize=1)
def phrasing() -> dict[str, Any]:
    return load("phrasing.yaml", PHRASING_SCHEMA)
