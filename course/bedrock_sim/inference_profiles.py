"""Inference profiles: system-defined cross-Region profiles and application inference profiles.

Operations (bedrock): ``ListInferenceProfiles``, ``GetInferenceProfile``, ``CreateInferenceProfile``,
``DeleteInferenceProfile``.

- System-defined profiles come from the catalogue: for a model that lists INFERENCE_PROFILE, one
  per prefix of its ``crossRegionProfiles`` (``us.``, ``eu.``, ``apac.``, ``global.``), with the
  destination Regions of ``operations.yaml``. A Region lists the profiles it may call: those of
  its own geography and the global ones.
- An application inference profile copies a foundation-model ARN (one Region) or a system-defined
  profile ARN (its Regions); it carries your tags for cost allocation and its ARN is a valid
  ``modelId``. Calls through it are counted, metered and logged under that ARN.
"""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

from course.bedrock_sim import catalogue, data, operations_data, resources
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

_SYSTEM_CREATED = _dt.datetime(2024, 8, 27, tzinfo=_dt.UTC)


def prefixes(model: dict[str, Any]) -> list[str]:
    """The cross-Region profile prefixes a catalogue model has."""
    if "INFERENCE_PROFILE" not in model["inferenceTypesSupported"]:
        return []
    return list(model.get("crossRegionProfiles", data.models()["inferenceProfilePrefixes"]))


def _callable_from(prefix: str, region: str) -> bool:
    geo = operations_data.geography(prefix)
    return geo is not None and (prefix == "global" or region in geo["regions"])


def system_profile(profile_id: str, region: str) -> dict[str, Any] | None:
    prefix, _, model_id = profile_id.partition(".")
    model = catalogue.find(model_id)
    if model is None or prefix not in prefixes(model) or not _callable_from(prefix, region):
        return None
    geo = operations_data.geography(prefix)
    regions = geo["regions"]
    return {
        "inferenceProfileName": f"{geo['name']} {model['providerName']} {model['modelName']}",
        "description": f"Routes requests to {model['modelName']} in {', '.join(regions)}.",
        "createdAt": _SYSTEM_CREATED,
        "updatedAt": _SYSTEM_CREATED,
        "inferenceProfileArn": resources.arn(region, f"inference-profile/{profile_id}"),
        "models": [{"modelArn": catalogue.model_arn(model_id, r)} for r in regions],
        "inferenceProfileId": profile_id,
        "status": "ACTIVE",
        "type": "SYSTEM_DEFINED",
    }


def _system_profiles(region: str) -> list[dict[str, Any]]:
    out = []
    for model in catalogue.models():
        for prefix in prefixes(model):
            profile = system_profile(f"{prefix}.{model['modelId']}", region)
            if profile is not None:
                out.append(profile)
    return out


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def find(identifier: str, region: str) -> dict[str, Any]:
    """An application profile (id or ARN) or a system-defined profile (id or ARN)."""
    for record in resources.store("inference_profiles").values():
        if identifier in (record["inferenceProfileId"], record["inferenceProfileArn"]):
            return record
    profile_id = identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier
    found = system_profile(profile_id, region)
    if found is None or (identifier.startswith("arn:") and identifier != found["inferenceProfileArn"]):
        raise not_found(f"The inference profile {identifier} couldn't be found. Check the identifier and try again.")
    return found


# ------------------------------------------------------------------ operations


def list_inference_profiles(call: Call) -> Reply:
    kind = call.params.get("typeEquals")
    items: list[dict[str, Any]] = []
    if kind in (None, "SYSTEM_DEFINED"):
        items += _system_profiles(call.region)
    if kind in (None, "APPLICATION"):
        items += [_public(r) for r in sorted(resources.store("inference_profiles").values(), key=lambda r: r["_seq"])]
    return resources.page(items, call, "inferenceProfileSummaries")


def get_inference_profile(call: Call) -> Reply:
    return Reply(_public(find(call.params["inferenceProfileIdentifier"], call.region)))


def create_inference_profile(call: Call) -> Reply:
    p = call.params
    name = p["inferenceProfileName"]
    store = resources.store("inference_profiles")
    token = p.get("clientRequestToken")
    for record in store.values():
        if token and record.get("_token") == token:
            return Reply({"inferenceProfileArn": record["inferenceProfileArn"], "status": "ACTIVE"})
        if record["inferenceProfileName"] == name:
            raise ServiceError("ConflictException", f"An inference profile with the name {name} already exists.")
    source = (p.get("modelSource") or {}).get("copyFrom")
    if not source or not source.startswith("arn:"):
        raise validation("modelSource.copyFrom must be the ARN of a foundation model or an inference profile.")
    resource = source.split(":", 5)[5] if source.count(":") >= 5 else ""
    geography = None
    if resource.startswith("foundation-model/"):
        model_id = resource.split("/", 1)[1]
        model = catalogue.find(model_id)
        if model is None:
            raise validation(f"The model {source} couldn't be found.")
        if "ON_DEMAND" not in model["inferenceTypesSupported"]:
            raise validation(
                f"The model {model_id} doesn't support on-demand throughput in this Region. Copy a "
                "cross-Region inference profile of this model instead."
            )
        models = [{"modelArn": source}]
    elif resource.startswith("inference-profile/"):
        system = find(source, call.region)
        geography, _, model_id = system["inferenceProfileId"].partition(".")
        models = copy.deepcopy(system["models"])
    else:
        raise validation("modelSource.copyFrom must be the ARN of a foundation model or an inference profile.")
    profile_id = resources.new_id("inference-profile", 12)
    now = resources.now()
    record = {
        "inferenceProfileName": name,
        "createdAt": now,
        "updatedAt": now,
        "inferenceProfileArn": resources.arn(call.region, f"application-inference-profile/{profile_id}"),
        "models": models,
        "inferenceProfileId": profile_id,
        "status": "ACTIVE",
        "type": "APPLICATION",
        "_modelId": model_id,
        "_geography": geography,
        "_seq": resources.sequence(),
        "_token": token,
    }
    if p.get("description"):
        record["description"] = p["description"]
    store[profile_id] = record
    resources.set_tags(record["inferenceProfileArn"], p.get("tags"))
    return Reply({"inferenceProfileArn": record["inferenceProfileArn"], "status": "ACTIVE"})


def delete_inference_profile(call: Call) -> Reply:
    record = find(call.params["inferenceProfileIdentifier"], call.region)
    if record["type"] != "APPLICATION":
        raise validation("System-defined inference profiles can't be deleted.")
    del resources.store("inference_profiles")[record["inferenceProfileId"]]
    resources.tags().pop(record["inferenceProfileArn"], None)
    return Reply({})


OPERATIONS = {
    "ListInferenceProfiles": list_inference_profiles,
    "GetInferenceProfile": get_inference_profile,
    "CreateInferenceProfile": create_inference_profile,
    "DeleteInferenceProfile": delete_inference_profile,
}


def resolve_arn(resource: str, raw: str, region: str) -> catalogue.Resolved | None:
    """An application inference profile ARN given as modelId."""
    if not resource.startswith("application-inference-profile/"):
        return None
    record = resources.store("inference_profiles").get(resource.split("/", 1)[1])
    if record is None or record["inferenceProfileArn"] != raw:
        raise ServiceError("ResourceNotFoundException", f"The inference profile {raw} couldn't be found.")
    model = catalogue.find(record["_modelId"])
    target = {"profile": record}
    if record["_geography"]:
        target["geography"] = record["_geography"]
    return catalogue.Resolved(model, raw, "APPLICATION_PROFILE", target=target)


def application_profiles() -> list[dict[str, Any]]:
    """Every application profile record (for tests and the notebook's cost reports)."""
    return [_public(r) | {"modelId": r["_modelId"]} for r in resources.store("inference_profiles").values()]
