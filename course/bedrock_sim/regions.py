"""Where a request runs: quotas, Region outages and cross-Region inference routing.

For each call, in order (every rule deterministic):

1. a quota set on the identifier as requested (an inference profile id or ARN, a router or
   deployment ARN) counts one attempt; a quota on the base model id counts one attempt of an
   in-Region call (a model id or ARN, an application profile copied from a model, a custom or
   imported model): as on AWS, cross-Region profiles have quotas of their own, separate from the
   model's on-demand quota (``set_quota``; attempts, not seconds);
2. the candidate Regions: the caller's Region for a model id, a provisioned or custom model; for
   a cross-Region profile (system-defined ``us.``/``eu.``/``apac.``/``global.`` or an application
   profile copied from one) the caller's Region first, then the profile's other Regions in the
   order of ``operations.yaml``. A geographic profile can only be called from a Region of its
   geography (otherwise: "The provided model identifier is invalid.");
3. the first candidate that is not down (``set_region_outage``) and whose Regional quota
   ``"<model id>@<region>"`` admits the attempt serves the request. If none does, the caller gets
   ``ThrottlingException`` when a quota refused, else ``ServiceUnavailableException``.
"""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import operations_data, state
from course.bedrock_sim.protocol import ServiceError, validation

THROTTLED = "Too many requests, please wait before trying again."
UNAVAILABLE = "Bedrock is unable to process your request."


def outages() -> set[str]:
    return state.get().ops.setdefault("outages", set())


def set_outage(region: str, down: bool = True) -> None:
    (outages().add if down else outages().discard)(region)


def geography_of(resolved: Any) -> str | None:
    """The cross-Region geography prefix a resolved model id routes over, if any."""
    target = getattr(resolved, "target", None) or {}
    if "geography" in target:
        return target["geography"]
    if resolved.via == "INFERENCE_PROFILE":
        identifier = resolved.requested.rsplit("/", 1)[-1]
        return identifier.split(".", 1)[0]
    return None


def _quota(key: str) -> bool:
    quota = state.get().quotas.get(key)
    return quota is None or quota.admit()


def candidates(geography: str | None, source: str) -> list[str]:
    if geography is None:
        return [source]
    geo = operations_data.geography(geography)
    regions = list(geo["regions"]) if geo else [source]
    if geography != "global" and source not in regions:
        raise validation("The provided model identifier is invalid.")
    if source in regions:
        regions.remove(source)
        regions.insert(0, source)
    return regions


def admit(resolved: Any, source: str) -> str:
    """Count the attempt against every quota that applies; return the Region that serves it."""
    model_id = resolved.model["modelId"]
    regions = candidates(geography_of(resolved), source)
    if resolved.requested != model_id and not _quota(resolved.requested):
        raise ServiceError("ThrottlingException", THROTTLED)
    geography = geography_of(resolved)
    if geography is None and resolved.via != "PROVISIONED" and not _quota(model_id):
        raise ServiceError("ThrottlingException", THROTTLED)
    throttled = False
    for region in regions:
        if region in outages():
            continue
        if _quota(f"{model_id}@{region}"):
            return region
        throttled = True
    if throttled:
        raise ServiceError("ThrottlingException", THROTTLED)
    raise ServiceError("ServiceUnavailableException", UNAVAILABLE, 503)
