"""The model ARNs beyond foundation models, profiles and provisioned models that a ``modelId`` may be.

catalogue.resolve asks each module in turn; the first that recognises the ARN's resource type
answers (or raises its own not-found error).
"""

from __future__ import annotations

from course.bedrock_sim import catalogue


def resolve_arn(resource: str, raw: str, region: str) -> catalogue.Resolved | None:
    from course.bedrock_sim import customization, inference_profiles, prompt_routers

    for module in (inference_profiles, prompt_routers, customization):
        found = module.resolve_arn(resource, raw, region)
        if found is not None:
            return found
    return None
