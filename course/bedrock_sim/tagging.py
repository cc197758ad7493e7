"""Tags on Bedrock resources: ``TagResource``, ``UntagResource``, ``ListTagsForResource``.

Tags are how application inference profiles allocate model cost per team or application (AWS
Cost Explorer groups by the profile's cost-allocation tags). The simulator keeps them per ARN for
every resource it owns; an ARN of a kind it owns that does not exist is ResourceNotFound.
Guardrails keep their own creation tags, which are listed too.
"""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import resources, state
from course.bedrock_sim.protocol import Call, Reply, not_found, validation

# ARN resource kind -> (store name, field holding the ARN)
_OWNED = {
    "application-inference-profile": ("inference_profiles", "inferenceProfileArn"),
    "prompt-router": ("prompt_routers", "promptRouterArn"),
    "model-invocation-job": ("batch_jobs", "jobArn"),
    "model-customization-job": ("customization_jobs", "jobArn"),
    "custom-model": ("custom_models", "modelArn"),
    "model-import-job": ("import_jobs", "jobArn"),
    "imported-model": ("imported_models", "modelArn"),
    "custom-model-deployment": ("deployments", "customModelDeploymentArn"),
}


def _check(arn: str) -> None:
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "bedrock" or "/" not in parts[5]:
        raise validation(f"The resource ARN {arn} is invalid.")
    kind = parts[5].split("/", 1)[0]
    if kind == "guardrail":
        if not any(g["guardrailArn"] == arn for g in state.get().guardrails.values()):
            raise not_found(f"The resource {arn} couldn't be found.")
    elif kind in _OWNED:
        store, key = _OWNED[kind]
        if not any(r.get(key) == arn for r in resources.store(store).values()):
            raise not_found(f"The resource {arn} couldn't be found.")


def _guardrail_tags(arn: str) -> list[dict[str, Any]]:
    for record in state.get().guardrails.values():
        if record["guardrailArn"] == arn:
            return list(record.get("tags") or [])
    return []


def tag_resource(call: Call) -> Reply:
    arn = call.params["resourceARN"]
    _check(arn)
    resources.set_tags(arn, call.params["tags"])
    return Reply({})


def untag_resource(call: Call) -> Reply:
    arn = call.params["resourceARN"]
    _check(arn)
    bucket = resources.tags().get(arn, {})
    for key in call.params["tagKeys"]:
        bucket.pop(key, None)
    return Reply({})


def list_tags_for_resource(call: Call) -> Reply:
    arn = call.params["resourceARN"]
    _check(arn)
    listed = {t["key"]: t["value"] for t in _guardrail_tags(arn)}
    listed.update({t["key"]: t["value"] for t in resources.tag_list(arn)})
    return Reply({"tags": [{"key": k, "value": v} for k, v in sorted(listed.items())]})


OPERATIONS = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
