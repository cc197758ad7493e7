"""Action groups of simulated Bedrock agents (bedrock-agent): CRUD and what each group offers.

A group is defined by a function schema (functions with typed parameters) or an OpenAPI 3
schema (inline ``payload`` in JSON or YAML, or an object in moto's S3), and executed by a
Lambda function or returned to the caller (``customControl: RETURN_CONTROL``). A group with
``parentActionGroupSignature`` ``AMAZON.UserInput`` lets the agent ask the user for missing
parameters; ``AMAZON.CodeInterpreter`` is accepted but not simulated.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from course.bedrock_sim import agent_planner, state
from course.bedrock_sim import agent_store as store
from course.bedrock_sim.protocol import Call, Reply, validation

HTTP_VERBS = ("get", "post", "put", "patch", "delete")
RECORD_FIELDS = (
    "actionGroupName",
    "clientToken",
    "description",
    "parentActionGroupSignatureParams",
    "actionGroupExecutor",
    "apiSchema",
    "functionSchema",
)


# ------------------------------------------------------------------ schemas


def _check_functions(schema: dict[str, Any]) -> None:
    names = []
    for function in schema.get("functions") or []:
        store.check_name("functionSchema.functions.member.name", function.get("name"))
        names.append(function["name"])
        for pname, spec in (function.get("parameters") or {}).items():
            store.check_name("functionSchema.functions.member.parameters.key", pname)
            if spec.get("type") not in agent_planner.PARAMETER_TYPES:
                raise store.constraint(
                    "functionSchema.functions.member.parameters.value.type",
                    spec.get("type"),
                    "Member must satisfy enum value set: [string, number, integer, boolean, array]",
                )
    if not names:
        raise validation("The function schema must define at least one function.")
    if len(set(names)) != len(names):
        raise validation("Function names must be unique within an action group.")


def _load_openapi(api_schema: dict[str, Any]) -> dict[str, Any]:
    import yaml

    if "payload" in api_schema:
        text = api_schema["payload"]
    else:
        location = api_schema.get("s3") or {}
        try:
            from moto.s3.models import s3_backends

            bucket = s3_backends[state.ACCOUNT_ID]["aws"].get_bucket(location["s3BucketName"])
            text = bucket.keys[location["s3ObjectKey"]].value.decode("utf-8")
        except (KeyError, AttributeError, TypeError) as exc:
            raise validation("The API schema could not be read from the given S3 location.") from exc
        except Exception as exc:  # moto raises its own "no such bucket" errors
            raise validation("The API schema could not be read from the given S3 location.") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise validation("The API schema is not valid JSON or YAML.") from exc
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise validation("The API schema must be an OpenAPI 3 document (an 'openapi: 3.x' field).")
    paths = document.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise validation("The API schema must define at least one path.")
    return document


def _resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow a local ``$ref`` (#/components/...)."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target: Any = document
        for part in node["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
    return node


def api_actions(group: dict[str, Any]) -> list[agent_planner.Action]:
    document = group["_document"]  # parsed when the group was saved, as AWS snapshots the schema
    actions = []
    for path, item in document["paths"].items():
        for verb in HTTP_VERBS:
            operation = _resolve(document, (item or {}).get(verb))
            if not isinstance(operation, dict):
                continue
            parameters: dict[str, dict[str, Any]] = {}
            for raw in (item or {}).get("parameters", []) + operation.get("parameters", []):
                p = _resolve(document, raw)
                if isinstance(p, dict) and p.get("name"):
                    schema = _resolve(document, p.get("schema") or {})
                    parameters[p["name"]] = {
                        "type": schema.get("type", "string"),
                        "description": p.get("description", schema.get("description", "")),
                        "required": bool(p.get("required")),
                    }
            body = _resolve(document, (operation.get("requestBody") or {}))
            content = (body.get("content") or {}).get("application/json") if isinstance(body, dict) else None
            body_names = []
            if content:
                schema = _resolve(document, content.get("schema") or {})
                required = set(schema.get("required") or [])
                for name, spec in (schema.get("properties") or {}).items():
                    spec = _resolve(document, spec)
                    parameters[name] = {
                        "type": spec.get("type", "string"),
                        "description": spec.get("description", ""),
                        "required": name in required,
                    }
                    body_names.append(name)
            actions.append(
                agent_planner.Action(
                    kind="api",
                    name=operation.get("operationId") or f"{verb}{path}",
                    description=" ".join(x for x in (operation.get("summary"), operation.get("description")) if x),
                    parameters=parameters,
                    group=group,
                    api_path=path,
                    verb=verb,
                    body_parameters=tuple(body_names),
                )
            )
    return actions


def actions_of(group: dict[str, Any]) -> list[agent_planner.Action]:
    """The functions or API operations an enabled action group offers the planner."""
    if group.get("actionGroupState") != "ENABLED" or group.get("parentActionSignature"):
        return []
    if group.get("apiSchema"):
        return api_actions(group)
    return [
        agent_planner.Action(
            kind="function",
            name=f["name"],
            description=f.get("description", ""),
            parameters={
                n: {"type": s["type"], "description": s.get("description", ""), "required": bool(s.get("required"))}
                for n, s in (f.get("parameters") or {}).items()
            },
            group=group,
        )
        for f in group["functionSchema"]["functions"]
    ]


def requires_confirmation(group: dict[str, Any], function: str) -> bool:
    for f in (group.get("functionSchema") or {}).get("functions") or []:
        if f["name"] == function:
            return f.get("requireConfirmation") == "ENABLED"
    return False


# ------------------------------------------------------------------ CRUD


def _validate(params: dict[str, Any]) -> None:
    store.check_name("actionGroupName", params.get("actionGroupName"))
    parent = params.get("parentActionGroupSignature")
    executor = params.get("actionGroupExecutor")
    schemas = [k for k in ("apiSchema", "functionSchema") if params.get(k)]
    if parent:
        if parent not in ("AMAZON.UserInput", "AMAZON.CodeInterpreter"):
            raise validation(f"The course simulator does not simulate the {parent} action group.")
        if executor or schemas or params.get("description"):
            raise validation(
                f"An action group with parentActionGroupSignature {parent} must not have a description, an "
                "executor or a schema."
            )
        return
    if not executor or len([k for k in ("lambda", "customControl") if executor.get(k)]) != 1:
        raise validation("Specify exactly one actionGroupExecutor: lambda or customControl.")
    if len(schemas) != 1:
        raise validation("Specify exactly one of apiSchema and functionSchema for the action group.")
    if params.get("functionSchema"):
        _check_functions(params["functionSchema"])
    else:
        api = params["apiSchema"]
        if len([k for k in ("payload", "s3") if api.get(k)]) != 1:
            raise validation("Specify exactly one of payload and s3 in apiSchema.")
        _load_openapi(api)


def _record(params: dict[str, Any], group_id: str, created: Any) -> dict[str, Any]:
    record = {k: copy.deepcopy(params.get(k)) for k in RECORD_FIELDS}
    record.update(
        actionGroupId=group_id,
        parentActionSignature=params.get("parentActionGroupSignature"),
        actionGroupState=params.get("actionGroupState") or "ENABLED",
        createdAt=created,
        updatedAt=state.get().now(),
    )
    if params.get("apiSchema"):
        record["_document"] = _load_openapi(params["apiSchema"])
    return record


def _view(agent: dict[str, Any], version: str, group: dict[str, Any]) -> dict[str, Any]:
    view = {k: copy.deepcopy(v) for k, v in group.items() if v is not None and not k.startswith("_")}
    view.update(agentId=agent["agentId"], agentVersion=version)
    return view


def _group(agent: dict[str, Any], version: str, group_id: str) -> dict[str, Any]:
    group = store.part(agent, version, "actionGroups").get(group_id)
    if group is None:
        raise store.not_found()
    return group


def _unique_name(agent: dict[str, Any], name: str, except_id: str | None = None) -> None:
    for group in agent["actionGroups"].values():
        if group["actionGroupName"] == name and group["actionGroupId"] != except_id:
            raise store.name_taken(name, group["actionGroupId"])


def create_agent_action_group(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    _validate(p)
    _unique_name(agent, p["actionGroupName"])
    group_id = store.new_id()
    group = _record(p, group_id, state.get().now())
    agent["actionGroups"][group_id] = group
    store.changed(agent)
    return Reply({"agentActionGroup": _view(agent, "DRAFT", group)})


def get_agent_action_group(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    version = call.params["agentVersion"]
    return Reply({"agentActionGroup": _view(agent, version, _group(agent, version, call.params["actionGroupId"]))})


def list_agent_action_groups(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    groups = store.part(agent, call.params["agentVersion"], "actionGroups").values()
    items = [
        {
            k: g[k]
            for k in ("actionGroupId", "actionGroupName", "actionGroupState", "description", "updatedAt")
            if g.get(k) is not None
        }
        for g in groups
    ]
    return store.page(items, call.params, "actionGroupSummaries")


def update_agent_action_group(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    old = _group(agent, "DRAFT", p["actionGroupId"])
    _validate(p)
    _unique_name(agent, p["actionGroupName"], except_id=old["actionGroupId"])
    group = _record(p, old["actionGroupId"], old["createdAt"])
    agent["actionGroups"][old["actionGroupId"]] = group
    store.changed(agent)
    return Reply({"agentActionGroup": _view(agent, "DRAFT", group)})


def delete_agent_action_group(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    _group(agent, "DRAFT", p["actionGroupId"])
    del agent["actionGroups"][p["actionGroupId"]]
    store.changed(agent)
    return Reply({})


def describe_payload(group: dict[str, Any]) -> str:
    """The action group as the orchestration prompt lists it (for traces)."""
    lines = [f"Action group {group['actionGroupName']}: {group.get('description') or ''}".rstrip(": ")]
    for action in actions_of(group):
        lines.append(f"- {action.label}: {action.description} parameters {json.dumps(action.parameters)}")
    return "\n".join(lines)


OPERATIONS = {
    "CreateAgentActionGroup": create_agent_action_group,
    "GetAgentActionGroup": get_agent_action_group,
    "ListAgentActionGroups": list_agent_action_groups,
    "UpdateAgentActionGroup": update_agent_action_group,
    "DeleteAgentActionGroup": delete_agent_action_group,
}
