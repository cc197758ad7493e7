"""Intelligent prompt routing: default and custom prompt routers, and the routing rule.

Operations (bedrock): ``ListPromptRouters``, ``GetPromptRouter``, ``CreatePromptRouter``,
``DeletePromptRouter``. A router ARN passed as ``modelId`` to Converse/ConverseStream/InvokeModel
picks one of its two models per request by the documented rule in ``operations.yaml`` (routing):

    complexity = min(1, cueWeight x cue words + tokens / tokensForFullComplexity)
    quality(stronger) = strongQuality; quality(cheaper) = strongQuality - qualityDrop x complexity
    cheaper model if (quality gap / quality(stronger)) x 100 <= responseQualityDifference

"Stronger" is the model with the higher catalogue price. Converse reports the model it used in
``trace.promptRouter.invokedModelId``.
"""

from __future__ import annotations

import copy
from typing import Any

from course.bedrock_sim import catalogue, operations_data, resources, tokens
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

_DEFAULT_CREATED = "2024-11-20T00:00:00Z"


def _profile_arn(identifier: str, region: str) -> str:
    return resources.arn(region, f"inference-profile/{identifier}")


def _defaults(region: str) -> list[dict[str, Any]]:
    import datetime as _dt

    created = _dt.datetime.fromisoformat(_DEFAULT_CREATED.replace("Z", "+00:00"))
    out = []
    for spec in operations_data.load()["promptRouters"]:
        out.append(
            {
                "promptRouterName": spec["name"],
                "routingCriteria": {"responseQualityDifference": float(spec["responseQualityDifference"])},
                "description": spec["description"],
                "createdAt": created,
                "updatedAt": created,
                "promptRouterArn": resources.arn(region, f"default-prompt-router/{spec['id']}"),
                "models": [{"modelArn": _profile_arn(m, region)} for m in spec["models"]],
                "fallbackModel": {"modelArn": _profile_arn(spec["fallback"], region)},
                "status": "AVAILABLE",
                "type": "default",
            }
        )
    return out


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


def find(identifier: str, region: str) -> dict[str, Any]:
    for router in _defaults(region):
        if identifier == router["promptRouterArn"]:
            return router
    for router in resources.store("prompt_routers").values():
        if identifier == router["promptRouterArn"]:
            return router
    raise not_found(f"The prompt router {identifier} couldn't be found. Check the ARN and try again.")


def _base_model(model_arn: str, region: str) -> dict[str, Any]:
    try:
        return catalogue.resolve(model_arn, region).model
    except ServiceError as exc:
        raise validation(f"The model {model_arn} can't be used in a prompt router.") from exc


# ------------------------------------------------------------------ operations


def list_prompt_routers(call: Call) -> Reply:
    kind = call.params.get("type")
    routers = [] if kind == "custom" else _defaults(call.region)
    if kind != "default":
        routers += sorted(resources.store("prompt_routers").values(), key=lambda r: r["_seq"])
    return resources.page([_public(r) for r in routers], call, "promptRouterSummaries")


def get_prompt_router(call: Call) -> Reply:
    return Reply(_public(find(call.params["promptRouterArn"], call.region)))


def create_prompt_router(call: Call) -> Reply:
    p = call.params
    name = p["promptRouterName"]
    if any(r["promptRouterName"] == name for r in resources.store("prompt_routers").values()):
        raise ServiceError("ConflictException", f"A prompt router with the name {name} already exists.")
    arns = [m["modelArn"] for m in p["models"]]
    if len(arns) != 2 or len(set(arns)) != 2:
        raise validation("A prompt router must contain exactly two different models.")
    routable = set(operations_data.load()["routableModels"])
    models = [_base_model(a, call.region) for a in arns]
    for arn, model in zip(arns, models):
        if model["modelId"] not in routable:
            raise validation(f"The model {arn} doesn't support intelligent prompt routing.")
    if models[0]["providerName"] != models[1]["providerName"]:
        raise validation("The models in a prompt router must belong to the same model family.")
    fallback = p["fallbackModel"]["modelArn"]
    if fallback not in arns:
        raise validation("The fallback model must be one of the models of the prompt router.")
    difference = p["routingCriteria"]["responseQualityDifference"]
    if not 0 <= difference <= 100:
        raise validation("responseQualityDifference must be between 0 and 100.")
    router_id = resources.new_id("prompt-router", 12)
    now = resources.now()
    record = {
        "promptRouterName": name,
        "routingCriteria": {"responseQualityDifference": float(difference)},
        "createdAt": now,
        "updatedAt": now,
        "promptRouterArn": resources.arn(call.region, f"prompt-router/{router_id}"),
        "models": [{"modelArn": a} for a in arns],
        "fallbackModel": {"modelArn": fallback},
        "status": "AVAILABLE",
        "type": "custom",
        "_seq": resources.sequence(),
    }
    if p.get("description"):
        record["description"] = p["description"]
    resources.store("prompt_routers")[router_id] = record
    resources.set_tags(record["promptRouterArn"], p.get("tags"))
    return Reply({"promptRouterArn": record["promptRouterArn"]})


def delete_prompt_router(call: Call) -> Reply:
    router = find(call.params["promptRouterArn"], call.region)
    if router["type"] == "default":
        raise validation("Default prompt routers can't be deleted.")
    store = resources.store("prompt_routers")
    del store[next(k for k, v in store.items() if v is router)]
    resources.tags().pop(router["promptRouterArn"], None)
    return Reply({})


OPERATIONS = {
    "ListPromptRouters": list_prompt_routers,
    "GetPromptRouter": get_prompt_router,
    "CreatePromptRouter": create_prompt_router,
    "DeletePromptRouter": delete_prompt_router,
}


# ------------------------------------------------------------------ routing


def complexity(text: str) -> float:
    """The routing rule's complexity score of a prompt, in [0, 1]."""
    rule = operations_data.load()["routing"]
    words = set(tokens.words(text.lower()))
    cues = sum(1 for cue in rule["cues"] if cue in words)
    return min(1.0, rule["cueWeight"] * cues + tokens.count(text) / rule["tokensForFullComplexity"])


def _price(model: dict[str, Any]) -> float:
    return model["pricing"]["inputPer1kTokens"] + model["pricing"]["outputPer1kTokens"]


def pick(router: dict[str, Any], text: str, region: str) -> str:
    """The model ARN the router sends ``text`` to."""
    rule = operations_data.load()["routing"]
    arns = [m["modelArn"] for m in router["models"]]
    models = [_base_model(a, region) for a in arns]
    strong, cheap = (0, 1) if _price(models[0]) >= _price(models[1]) else (1, 0)
    quality_strong = rule["strongQuality"]
    quality_cheap = quality_strong - rule["qualityDrop"] * complexity(text)
    gap = (quality_strong - quality_cheap) / quality_strong * 100
    return arns[cheap] if gap <= router["routingCriteria"]["responseQualityDifference"] else arns[strong]


def resolve_arn(resource: str, raw: str, region: str) -> catalogue.Resolved | None:
    """A router ARN given as modelId: the router itself (the model is picked per request)."""
    if not (resource.startswith("default-prompt-router/") or resource.startswith("prompt-router/")):
        return None
    router = find(raw, region)
    fallback = catalogue.resolve(router["fallbackModel"]["modelArn"], region)
    return catalogue.Resolved(fallback.model, raw, "PROMPT_ROUTER", target={"router": router})


def route(resolved: catalogue.Resolved, text: str, region: str) -> tuple[catalogue.Resolved, str | None]:
    """(the resolved model that serves the request, the invoked model ARN for the trace)."""
    if resolved.via != "PROMPT_ROUTER":
        return resolved, None
    chosen = pick(resolved.target["router"], text, region)
    return catalogue.resolve(chosen, region), chosen
