"""Prompt Management (bedrock-agent): prompts with variants, {{variables}}, versions.

A prompt ARN (``arn:aws:bedrock:<region>:<account>:prompt/<id>[:<version>]``) can be passed
as ``modelId`` to Converse/ConverseStream with ``promptVariables``; :func:`render` fills the
default variant's template for that.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from course.bedrock_sim import catalogue, state
from course.bedrock_sim.protocol import Call, Reply, ServiceError, not_found, validation

VARIABLE_RE = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")


def _template_texts(variant: dict[str, Any]) -> list[str]:
    config = variant["templateConfiguration"]
    if "text" in config:
        return [config["text"]["text"]]
    chat = config.get("chat", {})
    texts = [b.get("text", "") for b in chat.get("system", [])]
    texts += [b.get("text", "") for m in chat.get("messages", []) for b in m.get("content", [])]
    return texts


def _declared(variant: dict[str, Any]) -> list[str]:
    config = variant["templateConfiguration"]
    inner = config.get("text") or config.get("chat") or {}
    return [v["name"] for v in inner.get("inputVariables", []) or [] if "name" in v]


def _validate_variants(params: dict[str, Any], region: str) -> None:
    variants = params.get("variants") or []
    names = [v["name"] for v in variants]
    if len(set(names)) != len(names):
        raise validation("Prompt variant names must be unique.")
    if params.get("defaultVariant") and params["defaultVariant"] not in names:
        raise validation(f"The default variant {params['defaultVariant']} is not one of the prompt's variants.")
    for variant in variants:
        kind = variant["templateType"]
        if (kind == "TEXT") != ("text" in variant["templateConfiguration"]):
            raise validation(
                f"Variant {variant['name']}: templateType {kind} does not match its templateConfiguration."
            )
        used = {m for t in _template_texts(variant) for m in VARIABLE_RE.findall(t)}
        missing = [name for name in _declared(variant) if name not in used]
        if missing:
            raise validation(f"Variant {variant['name']}: input variable {missing[0]} is not used in the template.")
        if variant.get("modelId"):
            catalogue.resolve(variant["modelId"], region)


def _lookup(identifier: str) -> dict[str, Any]:
    prompt_id = identifier.rsplit("/", 1)[-1].split(":")[0] if identifier.startswith("arn:") else identifier
    record = state.get().prompts.get(prompt_id)
    if record is None:
        raise not_found(f"Prompt {identifier} does not exist.")
    return record


def _snapshot(record: dict[str, Any], version: str) -> dict[str, Any]:
    body = record["draft"] if version == "DRAFT" else record["versions"].get(version)
    if body is None:
        raise not_found(f"Version {version} of prompt {record['id']} does not exist.")
    arn = record["arn"] if version == "DRAFT" else f"{record['arn']}:{version}"
    view = {k: v for k, v in copy.deepcopy(body).items() if v is not None and not k.startswith("_")}
    view.update({"id": record["id"], "arn": arn, "version": version})
    view.setdefault("createdAt", record["createdAt"])
    view.setdefault("updatedAt", record["updatedAt"])
    return view


def _body(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: copy.deepcopy(params.get(k))
        for k in ("name", "description", "customerEncryptionKeyArn", "defaultVariant", "variants")
    }


def create_prompt(call: Call) -> Reply:
    st = state.get()
    if any(r["draft"]["name"] == call.params["name"] for r in st.prompts.values()):
        raise ServiceError("ConflictException", f"A prompt named {call.params['name']} already exists.")
    _validate_variants(call.params, call.region)
    prompt_id = st.new_id("prompt")
    now = st.now()
    record = {
        "id": prompt_id,
        "arn": f"arn:aws:bedrock:{call.region}:{state.ACCOUNT_ID}:prompt/{prompt_id}",
        "draft": _body(call.params),
        "versions": {},
        "createdAt": now,
        "updatedAt": now,
    }
    st.prompts[prompt_id] = record
    return Reply(_snapshot(record, "DRAFT"))


def update_prompt(call: Call) -> Reply:
    record = _lookup(call.params["promptIdentifier"])
    _validate_variants(call.params, call.region)
    record["draft"] = _body(call.params)
    record["updatedAt"] = state.get().now()
    return Reply(_snapshot(record, "DRAFT"))


def create_prompt_version(call: Call) -> Reply:
    record = _lookup(call.params["promptIdentifier"])
    version = str(len(record["versions"]) + 1)
    snapshot = copy.deepcopy(record["draft"])
    if call.params.get("description"):
        snapshot["description"] = call.params["description"]
    now = state.get().now()
    snapshot["createdAt"] = snapshot["updatedAt"] = now
    record["versions"][version] = snapshot
    return Reply(_snapshot(record, version))


def get_prompt(call: Call) -> Reply:
    record = _lookup(call.params["promptIdentifier"])
    return Reply(_snapshot(record, call.params.get("promptVersion") or "DRAFT"))


def list_prompts(call: Call) -> Reply:
    identifier = call.params.get("promptIdentifier")
    records = [_lookup(identifier)] if identifier else list(state.get().prompts.values())
    items = []
    for record in records:
        versions = ["DRAFT"] + (list(record["versions"]) if identifier else [])
        for version in versions:
            view = _snapshot(record, version)
            items.append(
                {
                    k: view[k]
                    for k in ("name", "description", "id", "arn", "version", "createdAt", "updatedAt")
                    if k in view
                }
            )
    size = call.params.get("maxResults") or 1000
    start = int(call.params.get("nextToken") or 0)
    output: dict[str, Any] = {"promptSummaries": items[start : start + size]}
    if start + size < len(items):
        output["nextToken"] = str(start + size)
    return Reply(output)


def delete_prompt(call: Call) -> Reply:
    record = _lookup(call.params["promptIdentifier"])
    version = call.params.get("promptVersion")
    if version:
        if version not in record["versions"]:
            raise not_found(f"Version {version} of prompt {record['id']} does not exist.")
        del record["versions"][version]
        return Reply({"id": record["id"], "version": version})
    del state.get().prompts[record["id"]]
    return Reply({"id": record["id"]})


def fill(template: str, variables: dict[str, str]) -> str:
    missing = sorted({m for m in VARIABLE_RE.findall(template) if m not in variables})
    if missing:
        raise validation(f"The prompt variables {', '.join(missing)} are missing from promptVariables.")
    return VARIABLE_RE.sub(lambda m: variables[m.group(1)], template)


def render(arn: str, prompt_variables: dict[str, Any]) -> dict[str, Any]:
    """modelId, messages, system and inferenceConfig of a prompt ARN with variables filled."""
    record = _lookup(arn)
    version = arn.rsplit(":", 1)[1] if re.search(r":prompt/[^:]+:\w+$", arn) else "DRAFT"
    body = _snapshot(record, version)
    variants = body.get("variants") or []
    if not variants:
        raise validation(f"Prompt {arn} has no variants.")
    variant = next((v for v in variants if v["name"] == body.get("defaultVariant")), variants[0])
    if not variant.get("modelId"):
        raise validation(f"The variant {variant['name']} of prompt {arn} has no modelId.")
    values = {k: v.get("text", "") for k, v in prompt_variables.items()}
    config = variant["templateConfiguration"]
    if "text" in config:
        messages = [{"role": "user", "content": [{"text": fill(config["text"]["text"], values)}]}]
        system: list[dict[str, Any]] = []
    else:
        chat = config["chat"]
        messages = [
            {
                "role": m["role"],
                "content": [{"text": fill(b["text"], values)} for b in m["content"] if "text" in b],
            }
            for m in chat.get("messages", [])
        ]
        system = [{"text": fill(b["text"], values)} for b in chat.get("system", []) if "text" in b]
    inference = (variant.get("inferenceConfiguration") or {}).get("text", {})
    return {
        "modelId": variant["modelId"],
        "messages": messages,
        "system": system,
        "inferenceConfig": {
            k: v for k, v in inference.items() if k in ("maxTokens", "temperature", "topP", "stopSequences")
        },
        "toolConfig": (config.get("chat") or {}).get("toolConfiguration"),
    }


OPERATIONS = {
    "CreatePrompt": create_prompt,
    "UpdatePrompt": update_prompt,
    "CreatePromptVersion": create_prompt_version,
    "GetPrompt": get_prompt,
    "ListPrompts": list_prompts,
    "DeletePrompt": delete_prompt,
}
