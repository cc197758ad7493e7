"""bedrock (control plane): guardrails, foundation-model catalogue, provisioned throughput,
evaluation jobs (evaluation_jobs.py); inference profiles, prompt routers, batch inference,
customization/import/deployment of custom models and tags (the operations modules: see README).

Model-invocation logging configuration stays with moto.
"""

from __future__ import annotations

import copy
from typing import Any

from course.bedrock_sim import (
    batch,
    catalogue,
    customization,
    evaluation_jobs,
    guardrails,
    inference_profiles,
    prompt_routers,
    state,
    tagging,
)
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

_POLICY_KEYS = (
    "topicPolicyConfig",
    "contentPolicyConfig",
    "wordPolicyConfig",
    "sensitiveInformationPolicyConfig",
    "contextualGroundingPolicyConfig",
)
_GUARDRAIL_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


# ------------------------------------------------------------------ guardrails


def _config(params: dict[str, Any]) -> dict[str, Any]:
    guardrails.validate_config(params)
    config = {key: copy.deepcopy(params[key]) for key in _POLICY_KEYS if params.get(key)}
    for key in ("name", "description", "blockedInputMessaging", "blockedOutputsMessaging", "kmsKeyId"):
        if key in params:
            config[key] = params[key]
    return config


def _record(call: Call) -> dict[str, Any]:
    record, _, _ = guardrails.lookup(call.params["guardrailIdentifier"], "DRAFT", call.region)
    return record


def create_guardrail(call: Call) -> Reply:
    st = state.get()
    name = call.params["name"]
    if any(g["draft"]["name"] == name for g in st.guardrails.values()):
        raise ServiceError("ConflictException", f"A guardrail named {name} already exists.")
    config = _config(call.params)
    guardrail_id = st.new_id("guardrail", 12, _GUARDRAIL_ALPHABET)
    now = st.now()
    arn = f"arn:aws:bedrock:{call.region}:{state.ACCOUNT_ID}:guardrail/{guardrail_id}"
    st.guardrails[guardrail_id] = {
        "guardrailId": guardrail_id,
        "guardrailArn": arn,
        "draft": config,
        "versions": {},
        "versionMeta": {},
        "createdAt": now,
        "updatedAt": now,
        "tags": call.params.get("tags", []),
    }
    return Reply({"guardrailId": guardrail_id, "guardrailArn": arn, "version": "DRAFT", "createdAt": now})


def update_guardrail(call: Call) -> Reply:
    record = _record(call)
    record["draft"] = _config(call.params)
    record["updatedAt"] = state.get().now()
    return Reply(
        {
            "guardrailId": record["guardrailId"],
            "guardrailArn": record["guardrailArn"],
            "version": "DRAFT",
            "updatedAt": record["updatedAt"],
        }
    )


def create_guardrail_version(call: Call) -> Reply:
    record = _record(call)
    version = str(len(record["versions"]) + 1)
    record["versions"][version] = copy.deepcopy(record["draft"])
    if call.params.get("description"):
        record["versions"][version]["description"] = call.params["description"]
    record["versionMeta"][version] = state.get().now()
    return Reply({"guardrailId": record["guardrailId"], "version": version})


def _policy_view(config: dict[str, Any]) -> dict[str, Any]:
    """The GetGuardrail names of the configured policies."""
    out: dict[str, Any] = {}
    if "topicPolicyConfig" in config:
        topics = []
        for topic in config["topicPolicyConfig"]["topicsConfig"]:
            item = {
                "inputAction": "BLOCK",
                "outputAction": "BLOCK",
                "inputEnabled": True,
                "outputEnabled": True,
            } | topic
            topics.append(item)
        out["topicPolicy"] = {"topics": topics}
    if "contentPolicyConfig" in config:
        filters = [
            {
                "inputAction": "BLOCK",
                "outputAction": "BLOCK",
                "inputEnabled": True,
                "outputEnabled": True,
                "inputModalities": ["TEXT"],
                "outputModalities": ["TEXT"],
            }
            | f
            for f in config["contentPolicyConfig"]["filtersConfig"]
        ]
        out["contentPolicy"] = {"filters": filters}
    if "wordPolicyConfig" in config:
        words = config["wordPolicyConfig"]
        out["wordPolicy"] = {
            "words": [{"inputAction": "BLOCK", "outputAction": "BLOCK"} | w for w in words.get("wordsConfig", [])],
            "managedWordLists": [
                {"inputAction": "BLOCK", "outputAction": "BLOCK"} | w for w in words.get("managedWordListsConfig", [])
            ],
        }
    if "sensitiveInformationPolicyConfig" in config:
        pii = config["sensitiveInformationPolicyConfig"]
        out["sensitiveInformationPolicy"] = {
            "piiEntities": pii.get("piiEntitiesConfig", []),
            "regexes": pii.get("regexesConfig", []),
        }
    if "contextualGroundingPolicyConfig" in config:
        out["contextualGroundingPolicy"] = {
            "filters": [
                {"action": "BLOCK", "enabled": True} | f
                for f in config["contextualGroundingPolicyConfig"]["filtersConfig"]
            ]
        }
    return out


def get_guardrail(call: Call) -> Reply:
    record, config, version = guardrails.lookup(
        call.params["guardrailIdentifier"], call.params.get("guardrailVersion"), call.region
    )
    output = {
        "name": config["name"],
        "guardrailId": record["guardrailId"],
        "guardrailArn": record["guardrailArn"],
        "version": version,
        "status": "READY",
        "createdAt": record["createdAt"],
        "updatedAt": record["versionMeta"].get(version, record["updatedAt"]),
        "blockedInputMessaging": config["blockedInputMessaging"],
        "blockedOutputsMessaging": config["blockedOutputsMessaging"],
    }
    if config.get("description"):
        output["description"] = config["description"]
    output.update(_policy_view(config))
    return Reply(output)


def _summary(record: dict[str, Any], version: str, config: dict[str, Any]) -> dict[str, Any]:
    item = {
        "id": record["guardrailId"],
        "arn": record["guardrailArn"],
        "status": "READY",
        "name": config["name"],
        "version": version,
        "createdAt": record["createdAt"],
        "updatedAt": record["versionMeta"].get(version, record["updatedAt"]),
    }
    if config.get("description"):
        item["description"] = config["description"]
    return item


def list_guardrails(call: Call) -> Reply:
    identifier = call.params.get("guardrailIdentifier")
    items = []
    if identifier:
        record = _record(Call(call.service, call.operation, call.region, {"guardrailIdentifier": identifier}))
        items.append(_summary(record, "DRAFT", record["draft"]))
        items += [_summary(record, v, c) for v, c in record["versions"].items()]
    else:
        items = [_summary(r, "DRAFT", r["draft"]) for r in state.get().guardrails.values()]
    return _page(items, call, "guardrails")


def delete_guardrail(call: Call) -> Reply:
    record = _record(call)
    version = call.params.get("guardrailVersion")
    if version:
        if version not in record["versions"]:
            raise not_found(f"The guardrail version {version} was not found.")
        del record["versions"][version]
    else:
        del state.get().guardrails[record["guardrailId"]]
    return Reply({})


def _page(items: list[dict[str, Any]], call: Call, key: str) -> Reply:
    size = call.params.get("maxResults") or 1000
    start = int(call.params.get("nextToken") or 0)
    output: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        output["nextToken"] = str(start + size)
    return Reply(output)


# ------------------------------------------------------------------ foundation models


def list_foundation_models(call: Call) -> Reply:
    p = call.params
    items = []
    for model in catalogue.models():
        if p.get("byProvider") and model["providerName"].lower() != p["byProvider"].lower():
            continue
        if p.get("byOutputModality") and p["byOutputModality"] not in model["outputModalities"]:
            continue
        if p.get("byInferenceType") and p["byInferenceType"] not in model["inferenceTypesSupported"]:
            continue
        if p.get("byCustomizationType") and p["byCustomizationType"] not in model.get("customizationsSupported", []):
            continue
        items.append(catalogue.summary(model, call.region))
    return Reply({"modelSummaries": items})


def get_foundation_model(call: Call) -> Reply:
    identifier = call.params["modelIdentifier"]
    if identifier.startswith("arn:"):
        identifier = identifier.rsplit("/", 1)[-1]
    model = catalogue.find(identifier)
    if model is None:
        raise not_found(
            f"Could not resolve the foundation model from the model identifier: {call.params['modelIdentifier']}."
        )
    return Reply({"modelDetails": catalogue.summary(model, call.region)})


# ------------------------------------------------------------------ provisioned throughput


def _provisioned(call: Call) -> dict[str, Any]:
    identifier = call.params["provisionedModelId"]
    st = state.get()
    for record in st.provisioned.values():
        if identifier in (record["id"], record["provisionedModelArn"], record["provisionedModelName"]):
            return record
    raise not_found(f"Provisioned model {identifier} not found.")


def create_provisioned_model_throughput(call: Call) -> Reply:
    p = call.params
    st = state.get()
    identifier = p["modelId"]
    model_id = identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier
    custom = customization.custom_model(identifier)  # a custom model is served through PT too
    if custom is not None:
        model_id = custom["_base"]
    model = catalogue.find(model_id)
    if model is None:
        raise not_found(f"Could not resolve the foundation model from the model identifier: {identifier}.")
    if custom is None and "PROVISIONED" not in model["inferenceTypesSupported"]:
        raise validation(f"The model {model_id} does not support provisioned throughput.")
    if any(r["provisionedModelName"] == p["provisionedModelName"] for r in st.provisioned.values()):
        raise ServiceError("ConflictException", f"Provisioned model {p['provisionedModelName']} already exists.")
    if p["modelUnits"] < 1:
        raise validation("modelUnits must be at least 1.")
    pid = st.new_id("provisioned", 12, "abcdefghijklmnopqrstuvwxyz0123456789")
    now = st.now()
    arn = f"arn:aws:bedrock:{call.region}:{state.ACCOUNT_ID}:provisioned-model/{pid}"
    fm_arn = catalogue.model_arn(model_id, call.region)
    served_arn = custom["modelArn"] if custom is not None else fm_arn
    record = {
        "id": pid,
        "modelId": model_id,
        "provisionedModelName": p["provisionedModelName"],
        "provisionedModelArn": arn,
        "modelArn": served_arn,
        "desiredModelArn": served_arn,
        "foundationModelArn": fm_arn,
        "modelUnits": p["modelUnits"],
        "desiredModelUnits": p["modelUnits"],
        "status": "InService",
        "creationTime": now,
        "lastModifiedTime": now,
    }
    if p.get("commitmentDuration"):
        import datetime as _dt

        record["commitmentDuration"] = p["commitmentDuration"]
        days = 30 if p["commitmentDuration"] == "OneMonth" else 182
        record["commitmentExpirationTime"] = now + _dt.timedelta(days=days)
    st.provisioned[pid] = record
    return Reply({"provisionedModelArn": arn})


_PT_FIELDS = (
    "modelUnits",
    "desiredModelUnits",
    "provisionedModelName",
    "provisionedModelArn",
    "modelArn",
    "desiredModelArn",
    "foundationModelArn",
    "status",
    "creationTime",
    "lastModifiedTime",
    "commitmentDuration",
    "commitmentExpirationTime",
)


def get_provisioned_model_throughput(call: Call) -> Reply:
    record = _provisioned(call)
    return Reply({k: record[k] for k in _PT_FIELDS if k in record})


def list_provisioned_model_throughputs(call: Call) -> Reply:
    p = call.params
    items = []
    for record in state.get().provisioned.values():
        if p.get("statusEquals") and record["status"] != p["statusEquals"]:
            continue
        if p.get("nameContains") and p["nameContains"] not in record["provisionedModelName"]:
            continue
        if p.get("modelArnEquals") and record["modelArn"] != p["modelArnEquals"]:
            continue
        items.append({k: record[k] for k in _PT_FIELDS if k in record})
    if p.get("sortOrder") == "Descending":
        items.reverse()
    return _page(items, call, "provisionedModelSummaries")


def update_provisioned_model_throughput(call: Call) -> Reply:
    record = _provisioned(call)
    if call.params.get("desiredProvisionedModelName"):
        record["provisionedModelName"] = call.params["desiredProvisionedModelName"]
    record["lastModifiedTime"] = state.get().now()
    return Reply({})


def delete_provisioned_model_throughput(call: Call) -> Reply:
    record = _provisioned(call)
    del state.get().provisioned[record["id"]]
    return Reply({})


OPERATIONS = {
    "CreateGuardrail": create_guardrail,
    "UpdateGuardrail": update_guardrail,
    "CreateGuardrailVersion": create_guardrail_version,
    "GetGuardrail": get_guardrail,
    "ListGuardrails": list_guardrails,
    "DeleteGuardrail": delete_guardrail,
    "ListFoundationModels": list_foundation_models,
    "GetFoundationModel": get_foundation_model,
    "CreateProvisionedModelThroughput": create_provisioned_model_throughput,
    "GetProvisionedModelThroughput": get_provisioned_model_throughput,
    "ListProvisionedModelThroughputs": list_provisioned_model_throughputs,
    "UpdateProvisionedModelThroughput": update_provisioned_model_throughput,
    "DeleteProvisionedModelThroughput": delete_provisioned_model_throughput,
    **evaluation_jobs.OPERATIONS,
    **inference_profiles.OPERATIONS,
    **prompt_routers.OPERATIONS,
    **batch.OPERATIONS,
    **customization.OPERATIONS,
    **tagging.OPERATIONS,
}
