"""Bedrock Agents control plane (bedrock-agent): agents, PrepareAgent, versions, aliases, tags.

Action groups live in ``action_groups.py``; knowledge-base associations and multi-agent
collaborators in ``agent_links.py``; ``InvokeAgent`` in ``agent_invoke.py``. Every operation of
the family is answered here, so moto's own (partial) agent store is never used.
"""

from __future__ import annotations

import copy
from typing import Any

from course.bedrock_sim import agent_store as store
from course.bedrock_sim import catalogue, guardrails, state
from course.bedrock_sim.protocol import Call, Reply, not_found, validation

CONFIG_FIELDS = (
    "instruction",
    "foundationModel",
    "description",
    "orchestrationType",
    "idleSessionTTLInSeconds",
    "agentResourceRoleArn",
    "customerEncryptionKeyArn",
    "promptOverrideConfiguration",
    "guardrailConfiguration",
    "memoryConfiguration",
    "agentCollaboration",
)
DEFAULT_TTL = 600


# ------------------------------------------------------------------ validation and views


def _config(params: dict[str, Any], region: str) -> dict[str, Any]:
    store.check_name("agentName", params.get("agentName"))
    store.require("agentResourceRoleArn", params.get("agentResourceRoleArn"))
    store.check_length("instruction", params.get("instruction"), 40, 4000)
    ttl = params.get("idleSessionTTLInSeconds", DEFAULT_TTL)
    if not 60 <= ttl <= 5400:
        raise store.constraint("idleSessionTTLInSeconds", ttl, "Member must have value between 60 and 5400")
    if params.get("orchestrationType", "DEFAULT") != "DEFAULT":
        raise validation("The course simulator supports orchestrationType DEFAULT only.")
    if params.get("foundationModel"):
        model = catalogue.resolve(params["foundationModel"], region).model
        if "TEXT" not in model["outputModalities"]:
            raise validation(f"The model {params['foundationModel']} can't be used by an agent.")
    guard = params.get("guardrailConfiguration")
    if guard:
        guardrails.lookup(guard["guardrailIdentifier"], guard.get("guardrailVersion"), region)
    memory = params.get("memoryConfiguration")
    if memory and set(memory.get("enabledMemoryTypes") or []) - {"SESSION_SUMMARY"}:
        raise validation("enabledMemoryTypes supports SESSION_SUMMARY only.")
    config = {k: copy.deepcopy(params[k]) for k in CONFIG_FIELDS if params.get(k) is not None}
    config["idleSessionTTLInSeconds"] = ttl
    config.setdefault("orchestrationType", "DEFAULT")
    config.setdefault("agentCollaboration", "DISABLED")
    return config


def agent_view(agent: dict[str, Any]) -> dict[str, Any]:
    view = {
        "agentId": agent["agentId"],
        "agentName": agent["agentName"],
        "agentArn": agent["agentArn"],
        "agentVersion": "DRAFT",
        "agentStatus": agent["status"],
        "createdAt": agent["createdAt"],
        "updatedAt": agent["updatedAt"],
        **copy.deepcopy(agent["config"]),
    }
    for key in ("clientToken", "preparedAt"):
        if agent.get(key):
            view[key] = agent[key]
    return view


def _version_view(agent: dict[str, Any], number: str) -> dict[str, Any]:
    snap = agent["versions"][number]
    return {
        "agentId": agent["agentId"],
        "agentName": agent["agentName"],
        "agentArn": agent["agentArn"],
        "version": number,
        "agentStatus": "PREPARED",
        "createdAt": snap["versionCreatedAt"],
        "updatedAt": snap["versionCreatedAt"],
        **copy.deepcopy(snap["config"]),
    }


def _alias_view(agent: dict[str, Any], alias: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in alias.items() if v is not None and k != "tags"}


def _test_alias(agent: dict[str, Any]) -> dict[str, Any]:
    return {
        "agentId": agent["agentId"],
        "agentAliasId": store.TEST_ALIAS_ID,
        "agentAliasName": store.TEST_ALIAS_NAME,
        "agentAliasArn": store.alias_arn(agent["region"], agent["agentId"], store.TEST_ALIAS_ID),
        "description": "Test Alias for Agent",
        "routingConfiguration": [{"agentVersion": "DRAFT"}],
        "createdAt": agent["createdAt"],
        "updatedAt": agent["updatedAt"],
        "agentAliasStatus": "PREPARED",
    }


def alias_of(agent: dict[str, Any], alias_id: str) -> dict[str, Any]:
    if alias_id == store.TEST_ALIAS_ID:
        return _test_alias(agent)
    alias = agent["aliases"].get(alias_id)
    if alias is None:
        raise store.not_found()
    return alias


# ------------------------------------------------------------------ agents


def create_agent(call: Call) -> Reply:
    p = call.params
    st = state.get()
    config = _config(p, call.region)
    for other in st.agents.values():
        if other["agentName"] == p["agentName"]:
            raise store.name_taken(p["agentName"], other["agentId"])
    agent_id = store.new_id()
    now = st.now()
    agent = {
        "agentId": agent_id,
        "agentName": p["agentName"],
        "agentArn": store.agent_arn(call.region, agent_id),
        "region": call.region,
        "clientToken": p.get("clientToken"),
        "config": config,
        "status": "CREATING",
        "createdAt": now,
        "updatedAt": now,
        "preparedAt": None,
        "prepared": None,
        "actionGroups": {},
        "knowledgeBases": {},
        "collaborators": {},
        "versions": {},
        "nextVersion": 1,
        "aliases": {},
        "tags": dict(p.get("tags") or {}),
    }
    st.agents[agent_id] = agent
    return Reply({"agent": agent_view(agent)})


def get_agent(call: Call) -> Reply:
    return Reply({"agent": agent_view(store.get_agent(call.params["agentId"]))})


def list_agents(call: Call) -> Reply:
    items = []
    for agent in state.get().agents.values():
        store.settle(agent)
        summary = {
            "agentId": agent["agentId"],
            "agentName": agent["agentName"],
            "agentStatus": agent["status"],
            "updatedAt": agent["updatedAt"],
        }
        if agent["config"].get("description"):
            summary["description"] = agent["config"]["description"]
        if agent["versions"]:
            summary["latestAgentVersion"] = max(agent["versions"], key=int)
        if agent["config"].get("guardrailConfiguration"):
            summary["guardrailConfiguration"] = copy.deepcopy(agent["config"]["guardrailConfiguration"])
        items.append(summary)
    return store.page(items, call.params, "agentSummaries")


def update_agent(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    config = _config(call.params, agent["region"])
    for other in state.get().agents.values():
        if other is not agent and other["agentName"] == call.params["agentName"]:
            raise store.name_taken(call.params["agentName"], other["agentId"])
    agent["agentName"] = call.params["agentName"]
    agent["config"] = config
    store.changed(agent)
    agent["status"] = "UPDATING"
    return Reply({"agent": agent_view(agent)})


def _callers_of(agent: dict[str, Any]) -> list[str]:
    """Names of supervisors whose collaborators point at one of this agent's aliases."""
    prefix = store.alias_arn(agent["region"], agent["agentId"], "")
    users = []
    for other in state.get().agents.values():
        for collaborator in other["collaborators"].values():
            if collaborator["agentDescriptor"]["aliasArn"].startswith(prefix):
                users.append(other["agentName"])
    return users


def delete_agent(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    users = _callers_of(agent)
    if users and not call.params.get("skipResourceInUseCheck"):
        raise store.in_use(
            f"The agent {agent['agentId']} is a collaborator of {', '.join(sorted(set(users)))}. Disassociate it "
            "first, or set skipResourceInUseCheck to true."
        )
    del state.get().agents[agent["agentId"]]
    return Reply({"agentId": agent["agentId"], "agentStatus": "DELETING"})


def _prepare_problems(agent: dict[str, Any]) -> list[str]:
    config = agent["config"]
    problems = []
    if not config.get("foundationModel"):
        problems.append("The agent has no foundationModel; update the agent with a model before preparing it.")
    if not config.get("instruction"):
        problems.append("The agent has no instruction; update the agent with an instruction before preparing it.")
    mode = config.get("agentCollaboration", "DISABLED")
    if mode != "DISABLED" and not agent["collaborators"]:
        problems.append(f"The agent collaboration mode is {mode}, but the agent has no collaborators.")
    if mode == "DISABLED" and agent["collaborators"]:
        problems.append("The agent has collaborators, but its agentCollaboration is DISABLED.")
    return problems


def prepare_agent(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    problems = _prepare_problems(agent)
    if problems:
        raise validation(" ".join(problems))
    now = state.get().now()
    agent["prepared"] = store.snapshot(agent)
    agent["status"] = "PREPARING"
    agent["preparedAt"] = now
    return Reply({"agentId": agent["agentId"], "agentStatus": "PREPARING", "agentVersion": "DRAFT", "preparedAt": now})


# ------------------------------------------------------------------ versions


def _new_version(agent: dict[str, Any]) -> str:
    if agent["status"] != "PREPARED" or agent["prepared"] is None:
        raise validation(
            f"The agent {agent['agentId']} is in {agent['status']} state. Prepare the agent before you create an "
            "alias that points at a new version."
        )
    number = str(agent["nextVersion"])
    agent["nextVersion"] += 1
    snap = copy.deepcopy(agent["prepared"])
    snap["versionCreatedAt"] = state.get().now()
    agent["versions"][number] = snap
    return number


def get_agent_version(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    number = call.params["agentVersion"]
    if number not in agent["versions"]:
        raise store.not_found()
    return Reply({"agentVersion": _version_view(agent, number)})


def list_agent_versions(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    items = [
        {
            "agentName": agent["agentName"],
            "agentStatus": agent["status"],
            "agentVersion": "DRAFT",
            "createdAt": agent["createdAt"],
            "updatedAt": agent["updatedAt"],
        }
    ]
    for number in sorted(agent["versions"], key=int):
        view = _version_view(agent, number)
        items.append(
            {
                "agentName": view["agentName"],
                "agentStatus": "PREPARED",
                "agentVersion": number,
                "createdAt": view["createdAt"],
                "updatedAt": view["updatedAt"],
                **({"description": view["description"]} if view.get("description") else {}),
            }
        )
    return store.page(items, call.params, "agentVersionSummaries")


def delete_agent_version(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    number = call.params["agentVersion"]
    if number not in agent["versions"]:
        raise store.not_found()
    users = [
        a["agentAliasName"]
        for a in agent["aliases"].values()
        if any(r.get("agentVersion") == number for r in a["routingConfiguration"])
    ]
    if users and not call.params.get("skipResourceInUseCheck"):
        raise store.in_use(
            f"Version {number} is used by the aliases {', '.join(users)}. Point them at another version first, or "
            "set skipResourceInUseCheck to true."
        )
    del agent["versions"][number]
    return Reply({"agentId": agent["agentId"], "agentVersion": number, "agentStatus": "DELETING"})


# ------------------------------------------------------------------ aliases


def _routing(agent: dict[str, Any], routing: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if not routing:
        return [{"agentVersion": _new_version(agent)}]
    version = routing[0].get("agentVersion")
    if routing[0].get("provisionedThroughput"):
        raise validation("The course simulator does not route agent aliases to Provisioned Throughput.")
    if version not in agent["versions"]:
        raise validation(f"The agent version {version} does not exist for agent {agent['agentId']}.")
    return [{"agentVersion": version}]


def create_agent_alias(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.check_name("agentAliasName", p["agentAliasName"])
    for alias in agent["aliases"].values():
        if alias["agentAliasName"] == p["agentAliasName"]:
            raise store.name_taken(p["agentAliasName"], alias["agentAliasId"])
    routing = _routing(agent, p.get("routingConfiguration"))
    alias_id = store.new_id()
    now = state.get().now()
    alias = {
        "agentId": agent["agentId"],
        "agentAliasId": alias_id,
        "agentAliasName": p["agentAliasName"],
        "agentAliasArn": store.alias_arn(agent["region"], agent["agentId"], alias_id),
        "clientToken": p.get("clientToken"),
        "description": p.get("description"),
        "routingConfiguration": routing,
        "createdAt": now,
        "updatedAt": now,
        "agentAliasHistoryEvents": [{"routingConfiguration": copy.deepcopy(routing), "startDate": now}],
        "agentAliasStatus": "CREATING",
        "aliasInvocationState": "ACCEPT_INVOCATIONS",
        "tags": dict(p.get("tags") or {}),
    }
    agent["aliases"][alias_id] = alias
    return Reply({"agentAlias": _alias_view(agent, alias)})


def get_agent_alias(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    return Reply({"agentAlias": _alias_view(agent, alias_of(agent, call.params["agentAliasId"]))})


def list_agent_aliases(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    keys = (
        "agentAliasId",
        "agentAliasName",
        "description",
        "routingConfiguration",
        "agentAliasStatus",
        "createdAt",
        "updatedAt",
        "aliasInvocationState",
    )
    aliases = [_test_alias(agent), *agent["aliases"].values()]
    items = [{k: copy.deepcopy(a[k]) for k in keys if a.get(k) is not None} for a in aliases]
    return store.page(items, call.params, "agentAliasSummaries")


def update_agent_alias(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    if p["agentAliasId"] == store.TEST_ALIAS_ID:
        raise validation("The test alias TSTALIASID can't be updated; it always points at the DRAFT version.")
    alias = alias_of(agent, p["agentAliasId"])
    store.check_name("agentAliasName", p["agentAliasName"])
    # Without a routing configuration the alias keeps pointing at its version.
    routing = (
        _routing(agent, p["routingConfiguration"]) if p.get("routingConfiguration") else alias["routingConfiguration"]
    )
    now = state.get().now()
    if routing != alias["routingConfiguration"]:
        alias["agentAliasHistoryEvents"][-1]["endDate"] = now
        alias["agentAliasHistoryEvents"].append({"routingConfiguration": copy.deepcopy(routing), "startDate": now})
    alias.update(
        agentAliasName=p["agentAliasName"],
        description=p.get("description"),
        routingConfiguration=routing,
        updatedAt=now,
        agentAliasStatus="UPDATING",
        aliasInvocationState=p.get("aliasInvocationState", alias["aliasInvocationState"]),
    )
    return Reply({"agentAlias": _alias_view(agent, alias)})


def delete_agent_alias(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    alias_id = call.params["agentAliasId"]
    if alias_id == store.TEST_ALIAS_ID:
        raise validation("The test alias TSTALIASID can't be deleted.")
    alias_of(agent, alias_id)
    del agent["aliases"][alias_id]
    return Reply({"agentId": agent["agentId"], "agentAliasId": alias_id, "agentAliasStatus": "DELETING"})


# ------------------------------------------------------------------ tags


def _taggable(arn: str) -> dict[str, Any]:
    """The record whose tags ``arn`` names: an agent, an agent alias, a knowledge base or a prompt."""
    st = state.get()
    resource = arn.split(":", 5)[-1] if arn.startswith("arn:aws:bedrock:") else ""
    kind, _, rest = resource.partition("/")
    if kind == "agent" and rest in st.agents:
        return st.agents[rest]
    if kind == "agent-alias" and "/" in rest:
        agent_id, alias_id = rest.split("/", 1)
        agent = st.agents.get(agent_id)
        if agent and alias_id in agent["aliases"]:
            return agent["aliases"][alias_id]
    if kind == "knowledge-base" and rest in st.knowledge_bases:
        return st.knowledge_bases[rest]
    if kind == "prompt" and rest.split(":")[0] in st.prompts:
        return st.prompts[rest.split(":")[0]]
    raise not_found(f"The resource {arn} was not found.")


def tag_resource(call: Call) -> Reply:
    _taggable(call.params["resourceArn"]).setdefault("tags", {}).update(call.params["tags"])
    return Reply({})


def untag_resource(call: Call) -> Reply:
    tags = _taggable(call.params["resourceArn"]).setdefault("tags", {})
    for key in call.params.get("tagKeys") or []:
        tags.pop(key, None)
    return Reply({})


def list_tags_for_resource(call: Call) -> Reply:
    return Reply({"tags": dict(_taggable(call.params["resourceArn"]).get("tags") or {})})


OPERATIONS = {
    "CreateAgent": create_agent,
    "GetAgent": get_agent,
    "ListAgents": list_agents,
    "UpdateAgent": update_agent,
    "DeleteAgent": delete_agent,
    "PrepareAgent": prepare_agent,
    "GetAgentVersion": get_agent_version,
    "ListAgentVersions": list_agent_versions,
    "DeleteAgentVersion": delete_agent_version,
    "CreateAgentAlias": create_agent_alias,
    "GetAgentAlias": get_agent_alias,
    "ListAgentAliases": list_agent_aliases,
    "UpdateAgentAlias": update_agent_alias,
    "DeleteAgentAlias": delete_agent_alias,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
