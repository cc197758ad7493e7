"""What an agent is linked to (bedrock-agent): knowledge bases and multi-agent collaborators.

A knowledge base association names a knowledge base of the simulator and a description that
tells the agent when to search it (the planner scores that description). A collaborator is
another agent's alias that a supervisor (``agentCollaboration`` SUPERVISOR or
SUPERVISOR_ROUTER) may hand a request to; its ``collaborationInstruction`` and the collaborator
agent's own description tell the supervisor when.
"""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import agent_store as store
from course.bedrock_sim import knowledge_bases, state
from course.bedrock_sim.protocol import Call, Reply, validation

# ------------------------------------------------------------------ knowledge bases


def _kb_view(agent: dict[str, Any], version: str, link: dict[str, Any]) -> dict[str, Any]:
    return {"agentId": agent["agentId"], "agentVersion": version, **link}


def _kb_link(agent: dict[str, Any], version: str, kb_id: str) -> dict[str, Any]:
    link = store.part(agent, version, "knowledgeBases").get(kb_id)
    if link is None:
        raise store.not_found()
    return link


def associate_agent_knowledge_base(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    knowledge_bases.get_kb(p["knowledgeBaseId"])
    if p["knowledgeBaseId"] in agent["knowledgeBases"]:
        raise store.name_taken(p["knowledgeBaseId"], p["knowledgeBaseId"])
    now = state.get().now()
    link = {
        "knowledgeBaseId": p["knowledgeBaseId"],
        "description": p["description"],
        "knowledgeBaseState": p.get("knowledgeBaseState") or "ENABLED",
        "createdAt": now,
        "updatedAt": now,
    }
    agent["knowledgeBases"][p["knowledgeBaseId"]] = link
    store.changed(agent)
    return Reply({"agentKnowledgeBase": _kb_view(agent, "DRAFT", link)})


def get_agent_knowledge_base(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    return Reply(
        {
            "agentKnowledgeBase": _kb_view(
                agent, p["agentVersion"], _kb_link(agent, p["agentVersion"], p["knowledgeBaseId"])
            )
        }
    )


def list_agent_knowledge_bases(call: Call) -> Reply:
    agent = store.get_agent(call.params["agentId"])
    links = store.part(agent, call.params["agentVersion"], "knowledgeBases").values()
    items = [
        {k: link[k] for k in ("knowledgeBaseId", "description", "knowledgeBaseState", "updatedAt")} for link in links
    ]
    return store.page(items, call.params, "agentKnowledgeBaseSummaries")


def update_agent_knowledge_base(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    link = _kb_link(agent, "DRAFT", p["knowledgeBaseId"])
    for key in ("description", "knowledgeBaseState"):
        if p.get(key):
            link[key] = p[key]
    link["updatedAt"] = state.get().now()
    store.changed(agent)
    return Reply({"agentKnowledgeBase": _kb_view(agent, "DRAFT", link)})


def disassociate_agent_knowledge_base(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    _kb_link(agent, "DRAFT", p["knowledgeBaseId"])
    del agent["knowledgeBases"][p["knowledgeBaseId"]]
    store.changed(agent)
    return Reply({})


# ------------------------------------------------------------------ collaborators


def collaborator_target(alias_arn: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(agent, alias) that a collaborator's alias ARN names."""
    agent_id, alias_id = store.parse_alias_arn(alias_arn)
    agent = state.get().agents.get(agent_id)
    if agent is None or alias_id not in agent["aliases"]:
        raise validation(f"The agent alias {alias_arn} does not exist. Create the collaborator's alias first.")
    store.settle(agent)
    return agent, agent["aliases"][alias_id]


def _check_collaborator(agent: dict[str, Any], params: dict[str, Any], except_id: str | None = None) -> None:
    mode = agent["config"].get("agentCollaboration", "DISABLED")
    if mode == "DISABLED":
        raise validation(
            f"The agent {agent['agentId']} has agentCollaboration DISABLED. Update the agent with "
            "agentCollaboration SUPERVISOR or SUPERVISOR_ROUTER before you associate collaborators."
        )
    store.check_name("collaboratorName", params.get("collaboratorName"))
    arn = (params.get("agentDescriptor") or {}).get("aliasArn")
    if arn and arn.endswith("/" + store.TEST_ALIAS_ID):
        raise validation(
            "A collaborator must be an agent alias that points at a version, not the test alias TSTALIASID."
        )
    target, _ = collaborator_target(arn)
    if target is agent:
        raise validation("An agent can't be its own collaborator.")
    others = [c for c in agent["collaborators"].values() if c["collaboratorId"] != except_id]
    for other in others:
        if other["collaboratorName"] == params["collaboratorName"]:
            raise store.name_taken(params["collaboratorName"], other["collaboratorId"])


def _collaborator_view(agent: dict[str, Any], version: str, collaborator: dict[str, Any]) -> dict[str, Any]:
    return {
        "agentId": agent["agentId"],
        "agentVersion": version,
        **{k: v for k, v in collaborator.items() if v is not None},
    }


def _collaborator(agent: dict[str, Any], version: str, collaborator_id: str) -> dict[str, Any]:
    found = store.part(agent, version, "collaborators").get(collaborator_id)
    if found is None:
        raise store.not_found()
    return found


def associate_agent_collaborator(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    _check_collaborator(agent, p)
    now = state.get().now()
    collaborator = {
        "collaboratorId": store.new_id(),
        "agentDescriptor": {"aliasArn": p["agentDescriptor"]["aliasArn"]},
        "collaboratorName": p["collaboratorName"],
        "collaborationInstruction": p["collaborationInstruction"],
        "relayConversationHistory": p.get("relayConversationHistory") or "DISABLED",
        "clientToken": p.get("clientToken"),
        "createdAt": now,
        "lastUpdatedAt": now,
    }
    agent["collaborators"][collaborator["collaboratorId"]] = collaborator
    store.changed(agent)
    return Reply({"agentCollaborator": _collaborator_view(agent, "DRAFT", collaborator)})


def get_agent_collaborator(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    found = _collaborator(agent, p["agentVersion"], p["collaboratorId"])
    return Reply({"agentCollaborator": _collaborator_view(agent, p["agentVersion"], found)})


def list_agent_collaborators(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    keys = (
        "collaboratorId",
        "agentDescriptor",
        "collaborationInstruction",
        "relayConversationHistory",
        "collaboratorName",
        "createdAt",
        "lastUpdatedAt",
    )
    items = [
        {"agentId": agent["agentId"], "agentVersion": p["agentVersion"], **{k: c[k] for k in keys}}
        for c in store.part(agent, p["agentVersion"], "collaborators").values()
    ]
    return store.page(items, p, "agentCollaboratorSummaries")


def update_agent_collaborator(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    found = _collaborator(agent, "DRAFT", p["collaboratorId"])
    _check_collaborator(agent, p, except_id=found["collaboratorId"])
    found.update(
        agentDescriptor={"aliasArn": p["agentDescriptor"]["aliasArn"]},
        collaboratorName=p["collaboratorName"],
        collaborationInstruction=p["collaborationInstruction"],
        relayConversationHistory=p.get("relayConversationHistory") or found["relayConversationHistory"],
        lastUpdatedAt=state.get().now(),
    )
    store.changed(agent)
    return Reply({"agentCollaborator": _collaborator_view(agent, "DRAFT", found)})


def disassociate_agent_collaborator(call: Call) -> Reply:
    p = call.params
    agent = store.get_agent(p["agentId"])
    store.require_draft(p["agentVersion"])
    _collaborator(agent, "DRAFT", p["collaboratorId"])
    del agent["collaborators"][p["collaboratorId"]]
    store.changed(agent)
    return Reply({})


OPERATIONS = {
    "AssociateAgentKnowledgeBase": associate_agent_knowledge_base,
    "GetAgentKnowledgeBase": get_agent_knowledge_base,
    "ListAgentKnowledgeBases": list_agent_knowledge_bases,
    "UpdateAgentKnowledgeBase": update_agent_knowledge_base,
    "DisassociateAgentKnowledgeBase": disassociate_agent_knowledge_base,
    "AssociateAgentCollaborator": associate_agent_collaborator,
    "GetAgentCollaborator": get_agent_collaborator,
    "ListAgentCollaborators": list_agent_collaborators,
    "UpdateAgentCollaborator": update_agent_collaborator,
    "DisassociateAgentCollaborator": disassociate_agent_collaborator,
}
