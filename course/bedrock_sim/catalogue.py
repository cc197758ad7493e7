"""The foundation-model catalogue (course/data/bedrock/models.yaml) and model-id resolution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course.bedrock_sim import data, state
from course.bedrock_sim.protocol import ServiceError, validation


def models() -> list[dict[str, Any]]:
    return data.models()["models"]


def find(model_id: str) -> dict[str, Any] | None:
    return next((m for m in models() if m["modelId"] == model_id), None)


def model_arn(model_id: str, region: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def summary(model: dict[str, Any], region: str) -> dict[str, Any]:
    """A FoundationModelSummary / FoundationModelDetails record."""
    return {
        "modelArn": model_arn(model["modelId"], region),
        "modelId": model["modelId"],
        "modelName": model["modelName"],
        "providerName": model["providerName"],
        "inputModalities": model["inputModalities"],
        "outputModalities": model["outputModalities"],
        "responseStreamingSupported": model["responseStreamingSupported"],
        "customizationsSupported": model.get("customizationsSupported", []),
        "inferenceTypesSupported": model["inferenceTypesSupported"],
        "modelLifecycle": {"status": model.get("lifecycleStatus", "ACTIVE")},
    }


def price(model_id: str) -> dict[str, float]:
    """The catalogue's per-1k-token prices (USD) for ``model_id``."""
    model = find(model_id)
    if model is None:
        raise KeyError(model_id)
    return dict(model["pricing"])


def estimate_cost(model_id: str, input_tokens: int, output_tokens: int = 0) -> float:
    """On-demand cost in USD of one call, from the catalogue prices."""
    p = price(model_id)
    return input_tokens / 1000 * p["inputPer1kTokens"] + output_tokens / 1000 * p["outputPer1kTokens"]


@dataclass
class Resolved:
    model: dict[str, Any]
    requested: str
    via: str  # ON_DEMAND, INFERENCE_PROFILE or PROVISIONED (operations add APPLICATION_PROFILE,
    # PROMPT_ROUTER, CUSTOM_DEPLOYMENT and IMPORTED, with their record in ``target``)
    prompt: dict[str, Any] | None = None
    target: dict[str, Any] | None = None


def resolve(identifier: str, region: str) -> Resolved:
    """Resolve a modelId as InvokeModel/Converse accept it (id, ARN, profile, provisioned ARN)."""
    raw = identifier
    if identifier.startswith("arn:"):
        parts = identifier.split(":", 5)
        resource = parts[5] if len(parts) == 6 else ""
        if resource.startswith("foundation-model/") or resource.startswith("inference-profile/"):
            identifier = resource.split("/", 1)[1]
        elif resource.startswith("provisioned-model/"):
            record = state.get().provisioned.get(resource.split("/", 1)[1])
            if record is None:
                raise ServiceError("ResourceNotFoundException", f"Provisioned model {raw} not found.")
            return Resolved(find(record["modelId"]), raw, "PROVISIONED")
        else:
            from course.bedrock_sim import model_targets

            found = model_targets.resolve_arn(resource, raw, region)
            if found is None:
                raise validation("The provided model identifier is invalid.")
            return found
    model = find(identifier)
    via = "ON_DEMAND"
    if model is None:
        prefix, _, rest = identifier.partition(".")
        if prefix in data.models()["inferenceProfilePrefixes"] and find(rest) is not None:
            model, via = find(rest), "INFERENCE_PROFILE"
            offered = model.get("crossRegionProfiles", data.models()["inferenceProfilePrefixes"])
            if "INFERENCE_PROFILE" not in model["inferenceTypesSupported"] or prefix not in offered:
                raise validation("The provided model identifier is invalid.")
    if model is None:
        raise validation("The provided model identifier is invalid.")
    if via == "ON_DEMAND" and "ON_DEMAND" not in model["inferenceTypesSupported"]:
        raise validation(
            f"Invocation of model ID {identifier} with on-demand throughput isn't supported. Retry your "
            "request with the ID or ARN of an inference profile that contains this model."
        )
    return Resolved(model, raw, via)
