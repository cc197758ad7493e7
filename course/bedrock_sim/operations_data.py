"""Load ``course/data/bedrock/operations.yaml``: geographies, tiers, batch limits, routers, customization.

Validated against :data:`SCHEMA` when first read, so a typo in the data fails loudly
(``DataFileError``) instead of changing how the simulator routes or bills a request.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from course.bedrock_sim import data

_NUMBER = {"type": "number", "minimum": 0}
_REGIONS = {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": r"^[a-z]{2}(-gov)?-[a-z]+-\d$"}}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "checked",
        "sources",
        "geographies",
        "latencyFactors",
        "cacheTtlSeconds",
        "batch",
        "promptRouters",
        "routableModels",
        "routing",
        "customization",
    ],
    "additionalProperties": False,
    "properties": {
        "checked": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "sources": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^https://"}},
        "geographies": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["name", "regions"],
                "additionalProperties": False,
                "properties": {"name": {"type": "string"}, "regions": _REGIONS},
            },
        },
        "latencyFactors": {
            "type": "object",
            "required": ["default", "priority", "flex", "optimized", "cacheRead"],
            "additionalProperties": _NUMBER,
        },
        "cacheTtlSeconds": {"type": "object", "required": ["5m", "1h"], "additionalProperties": _NUMBER},
        "batch": {
            "type": "object",
            "required": ["minRecordsPerJob", "maxRecordsPerFile", "defaultTimeoutHours", "minTimeoutHours"],
            "additionalProperties": {"type": "integer", "minimum": 1},
        },
        "promptRouters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "description", "models", "fallback", "responseQualityDifference"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "models": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string"}},
                    "fallback": {"type": "string"},
                    "responseQualityDifference": {"type": "number", "minimum": 0, "maximum": 100},
                },
            },
        },
        "routableModels": {"type": "array", "items": {"type": "string"}},
        "routing": {
            "type": "object",
            "required": ["cueWeight", "tokensForFullComplexity", "strongQuality", "qualityDrop", "cues"],
            "additionalProperties": False,
            "properties": {
                "cueWeight": _NUMBER,
                "tokensForFullComplexity": {"type": "integer", "minimum": 1},
                "strongQuality": _NUMBER,
                "qualityDrop": _NUMBER,
                "cues": {"type": "array", "items": {"type": "string"}},
            },
        },
        "customization": {
            "type": "object",
            "required": [
                "minTrainingRecords",
                "hyperParameters",
                "importArchitectures",
                "importFamilyTemplates",
                "customModelUnitsPerCopy",
                "idleSecondsBeforeColdStart",
            ],
            "additionalProperties": False,
            "properties": {
                "minTrainingRecords": {"type": "integer", "minimum": 1},
                "hyperParameters": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2, "items": _NUMBER},
                },
                "importArchitectures": {"type": "object", "additionalProperties": {"enum": ["llama", "mistral"]}},
                "importFamilyTemplates": {"type": "object", "additionalProperties": {"type": "string"}},
                "customModelUnitsPerCopy": {"type": "integer", "minimum": 1},
                "idleSecondsBeforeColdStart": _NUMBER,
            },
        },
    },
}


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The validated operations data (cached)."""
    document = data.load("operations.yaml", SCHEMA)
    prefixes = set(data.models()["inferenceProfilePrefixes"])
    missing = prefixes - set(document["geographies"])
    if missing:
        raise data.DataFileError(f"operations.yaml: geographies lacks the profile prefixes {sorted(missing)}")
    return document


def geography(prefix: str) -> dict[str, Any] | None:
    return load()["geographies"].get(prefix)
