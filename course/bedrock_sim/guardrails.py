"""Guardrail evaluation: the policies a guardrail holds, applied to text as ApplyGuardrail does.

Detectors are deterministic and documented (README.md): denied topics by word overlap with
the topic's name, definition and examples; content filters and the managed profanity list
from ``course/data/bedrock/guardrail_lexicon.yaml``; PII by the regexes in that file; custom
regexes and words as configured; contextual grounding by word overlap with the grounding
source (GROUNDING) and the query (RELEVANCE).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from course.bedrock_sim import data, state, tokens
from course.bedrock_sim.protocol import ServiceError, validation

_RANK = {"NONE": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3}
# A filter of a given strength blocks content whose confidence is at least this rank.
_BLOCKS_FROM = {"NONE": 99, "LOW": 3, "MEDIUM": 2, "HIGH": 1}


def lookup(identifier: str, version: str | None, region: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(guardrail record, configuration of the version, version) for an id or ARN."""
    guardrail_id = identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier
    record = state.get().guardrails.get(guardrail_id)
    if record is None:
        raise ServiceError("ResourceNotFoundException", f"The guardrail {identifier} was not found.")
    version = version or "DRAFT"
    if version == "DRAFT":
        return record, record["draft"], "DRAFT"
    if version not in record["versions"]:
        raise ServiceError(
            "ResourceNotFoundException", f"The guardrail {identifier} with version {version} was not found."
        )
    return record, record["versions"][version], version


def _terms(text: str) -> set[str]:
    return set(tokens.content_terms(text))


def _phrase_re(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(phrase.strip()) + r"(?!\w)", re.IGNORECASE)


def topic_detected(topic: dict[str, Any], text: str) -> bool:
    found = _terms(text)
    name_terms = _terms(topic.get("name", ""))
    if name_terms and name_terms <= found:
        return True
    for example in topic.get("examples", []) or []:
        example_terms = _terms(example)
        if example_terms and len(example_terms & found) / len(example_terms) >= 0.5:
            return True
    return len(_terms(topic.get("definition", "")) & found) >= 2


def grounding_scores(response: str, source: str, query: str) -> tuple[float, float]:
    """(GROUNDING, RELEVANCE) scores in [0, 1], 2 decimals."""
    answer = _terms(response)
    grounding = len(answer & _terms(source)) / len(answer) if answer else 0.0
    asked = _terms(query)
    relevance = len(asked & answer) / len(asked) if asked else 0.0
    return round(grounding, 2), round(relevance, 2)


@dataclass
class Outcome:
    action: str = "NONE"
    action_reason: str = "No action."
    outputs: list[dict[str, str]] = field(default_factory=list)
    assessment: dict[str, Any] = field(default_factory=dict)
    usage: dict[str, int] = field(default_factory=dict)
    blocked: bool = False
    masked_texts: list[str] = field(default_factory=list)

    @property
    def intervened(self) -> bool:
        return self.action == "GUARDRAIL_INTERVENED"


def _enabled(item: dict[str, Any], direction: str) -> bool:
    return item.get(f"{direction}Enabled", True) is not False


def evaluate(
    config: dict[str, Any],
    source: str,
    blocks: list[dict[str, Any]],
    output_scope: str = "INTERVENTIONS",
) -> Outcome:
    """Apply guardrail ``config`` to content ``blocks`` ({"text", "qualifiers"}) from ``source``."""
    direction = "input" if source == "INPUT" else "output"
    full = output_scope == "FULL"
    guarded = [b for b in blocks if not b.get("qualifiers") or "guard_content" in b["qualifiers"]]
    grounding_source = " ".join(b["text"] for b in blocks if "grounding_source" in (b.get("qualifiers") or []))
    query = " ".join(b["text"] for b in blocks if "query" in (b.get("qualifiers") or []))
    text = "\n".join(b["text"] for b in guarded)
    lexicon = data.lexicon()
    outcome = Outcome()
    reasons: list[str] = []
    assessment: dict[str, Any] = {}

    topics = (config.get("topicPolicyConfig") or {}).get("topicsConfig", [])
    found_topics = []
    for topic in topics:
        detected = _enabled(topic, direction) and topic_detected(topic, text)
        blocking = detected and topic.get(f"{direction}Action", "BLOCK") == "BLOCK"
        if detected or full:
            found_topics.append(
                {
                    "name": topic["name"],
                    "type": "DENY",
                    "action": "BLOCKED" if blocking else "NONE",
                    "detected": detected,
                }
            )
        if blocking:
            outcome.blocked = True
            reasons.append(f"denied topic {topic['name']}")
    if found_topics:
        assessment["topicPolicy"] = {"topics": found_topics}

    filters = (config.get("contentPolicyConfig") or {}).get("filtersConfig", [])
    found_filters = []
    lowered = text.lower()
    for item in filters:
        kind = item["type"]
        strength = item.get(f"{direction}Strength", "NONE")
        confidence = "NONE"
        for entry in lexicon["contentFilters"].get(kind, []):
            if _phrase_re(entry["term"]).search(lowered) and _RANK[entry["confidence"]] > _RANK[confidence]:
                confidence = entry["confidence"]
        detected = _enabled(item, direction) and _RANK[confidence] >= _BLOCKS_FROM[strength]
        blocking = detected and item.get(f"{direction}Action", "BLOCK") == "BLOCK"
        if detected or full:
            found_filters.append(
                {
                    "type": kind,
                    "confidence": confidence,
                    "filterStrength": strength,
                    "action": "BLOCKED" if blocking else "NONE",
                    "detected": detected,
                }
            )
        if blocking:
            outcome.blocked = True
            reasons.append(f"content filter {kind}")
    if found_filters:
        assessment["contentPolicy"] = {"filters": found_filters}

    word_config = config.get("wordPolicyConfig") or {}
    custom, managed = [], []
    for word in word_config.get("wordsConfig", []) or []:
        if _enabled(word, direction) and _phrase_re(word["text"]).search(text):
            blocking = word.get(f"{direction}Action", "BLOCK") == "BLOCK"
            custom.append({"match": word["text"], "action": "BLOCKED" if blocking else "NONE", "detected": True})
            if blocking:
                outcome.blocked = True
                reasons.append("custom word")
    for managed_list in word_config.get("managedWordListsConfig", []) or []:
        if not _enabled(managed_list, direction):
            continue
        blocking = managed_list.get(f"{direction}Action", "BLOCK") == "BLOCK"
        for word in lexicon["profanity"]:
            m = _phrase_re(word).search(text)
            if m:
                managed.append(
                    {
                        "match": m.group(0),
                        "type": "PROFANITY",
                        "action": "BLOCKED" if blocking else "NONE",
                        "detected": True,
                    }
                )
                if blocking:
                    outcome.blocked = True
                    reasons.append("profanity")
    if custom or managed:
        assessment["wordPolicy"] = {"customWords": custom, "managedWordLists": managed}

    pii_config = config.get("sensitiveInformationPolicyConfig") or {}
    replacements: list[tuple[re.Pattern[str], str, str]] = []
    pii_found, regex_found = [], []
    for entity in pii_config.get("piiEntitiesConfig", []) or []:
        pattern = lexicon["piiPatterns"].get(entity["type"])
        action = entity.get(f"{direction}Action") or entity.get("action", "BLOCK")
        if pattern is None or not _enabled(entity, direction):
            continue
        compiled = re.compile(pattern)
        for m in compiled.finditer(text):
            value = m.group("pii") if "pii" in compiled.groupindex else m.group(0)
            label = {"BLOCK": "BLOCKED", "ANONYMIZE": "ANONYMIZED"}.get(action, "NONE")
            pii_found.append({"match": value.strip(), "type": entity["type"], "action": label, "detected": True})
            if action == "BLOCK":
                outcome.blocked = True
                reasons.append(f"PII {entity['type']}")
        if action == "ANONYMIZE":
            replacements.append((compiled, "{" + entity["type"] + "}", "pii"))
    for regex in pii_config.get("regexesConfig", []) or []:
        action = regex.get(f"{direction}Action") or regex.get("action", "BLOCK")
        if not _enabled(regex, direction):
            continue
        compiled = re.compile(regex["pattern"])
        for m in compiled.finditer(text):
            label = {"BLOCK": "BLOCKED", "ANONYMIZE": "ANONYMIZED"}.get(action, "NONE")
            regex_found.append(
                {
                    "name": regex["name"],
                    "match": m.group(0),
                    "regex": regex["pattern"],
                    "action": label,
                    "detected": True,
                }
            )
            if action == "BLOCK":
                outcome.blocked = True
                reasons.append(f"regex {regex['name']}")
        if action == "ANONYMIZE":
            replacements.append((compiled, "{" + regex["name"] + "}", ""))
    if pii_found or regex_found:
        assessment["sensitiveInformationPolicy"] = {"piiEntities": pii_found, "regexes": regex_found}

    grounding_filters = (config.get("contextualGroundingPolicyConfig") or {}).get("filtersConfig", [])
    if grounding_filters and source == "OUTPUT" and grounding_source:
        grounding, relevance = grounding_scores(text, grounding_source, query)
        found_grounding = []
        for item in grounding_filters:
            if item.get("enabled", True) is False:
                continue
            score = grounding if item["type"] == "GROUNDING" else relevance
            detected = score < item["threshold"]
            blocking = detected and item.get("action", "BLOCK") == "BLOCK"
            found_grounding.append(
                {
                    "type": item["type"],
                    "threshold": item["threshold"],
                    "score": score,
                    "action": "BLOCKED" if blocking else "NONE",
                    "detected": detected,
                }
            )
            if blocking:
                outcome.blocked = True
                reasons.append(f"contextual grounding {item['type']}")
        assessment["contextualGroundingPolicy"] = {"filters": found_grounding}

    masked = []
    for block in guarded:
        value = block["text"]
        for compiled, placeholder, group in replacements:
            if group and group in compiled.groupindex:
                value = compiled.sub(lambda m, p=placeholder: m.group(0).replace(m.group("pii"), p), value)
            else:
                value = compiled.sub(placeholder, value)
        masked.append(value)
    outcome.masked_texts = masked
    anonymized = any(a != b["text"] for a, b in zip(masked, guarded))

    characters = len(text)
    units = max(1, math.ceil(characters / 1000)) if characters else 0
    outcome.usage = {
        "topicPolicyUnits": units if topics else 0,
        "contentPolicyUnits": units if filters else 0,
        "wordPolicyUnits": units if word_config else 0,
        "sensitiveInformationPolicyUnits": units if pii_config.get("regexesConfig") else 0,
        "sensitiveInformationPolicyFreeUnits": units if pii_config.get("piiEntitiesConfig") else 0,
        "contextualGroundingPolicyUnits": units if grounding_filters and grounding_source else 0,
    }
    coverage = {"textCharacters": {"guarded": characters, "total": sum(len(b["text"]) for b in blocks)}}
    assessment["invocationMetrics"] = {
        "guardrailProcessingLatency": 50 + 10 * units,
        "usage": outcome.usage,
        "guardrailCoverage": coverage,
    }
    outcome.assessment = assessment
    if outcome.blocked:
        outcome.action = "GUARDRAIL_INTERVENED"
        message = config["blockedInputMessaging"] if source == "INPUT" else config["blockedOutputsMessaging"]
        outcome.outputs = [{"text": message}]
        outcome.action_reason = "Guardrail blocked: " + ", ".join(dict.fromkeys(reasons)) + "."
    elif anonymized:
        outcome.action = "GUARDRAIL_INTERVENED"
        outcome.outputs = [{"text": t} for t in masked]
        outcome.action_reason = "Guardrail masked sensitive information."
    return outcome


def validate_config(params: dict[str, Any]) -> None:
    """The checks CreateGuardrail/UpdateGuardrail make on a configuration."""
    for item in (params.get("contentPolicyConfig") or {}).get("filtersConfig", []):
        if item["type"] == "PROMPT_ATTACK" and item.get("outputStrength", "NONE") != "NONE":
            raise validation("PROMPT_ATTACK content filter strength for response must be NONE.")
    for item in (params.get("contextualGroundingPolicyConfig") or {}).get("filtersConfig", []):
        if not 0 <= item["threshold"] < 1:
            raise validation("Contextual grounding filter threshold must be between 0 and 0.99.")
    for regex in (params.get("sensitiveInformationPolicyConfig") or {}).get("regexesConfig", []) or []:
        try:
            re.compile(regex["pattern"])
        except re.error as exc:
            raise validation(f"Invalid regex pattern for {regex['name']}: {exc}") from exc
    topics = (params.get("topicPolicyConfig") or {}).get("topicsConfig", [])
    if len({t["name"] for t in topics}) != len(topics):
        raise validation("Topic names in a guardrail must be unique.")
