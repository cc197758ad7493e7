"""Shared bookkeeping of simulated Bedrock Agents: records, lookups, status changes, validation.

An agent record holds the working draft (``config`` plus action groups, knowledge bases and
collaborators), the snapshot taken by the last ``PrepareAgent`` (what the test alias
``TSTALIASID`` runs), numbered versions (snapshots taken when an alias is created) and aliases.

Statuses change the way AWS reports them, one read later: ``CreateAgent`` answers CREATING and
the next call sees NOT_PREPARED; ``PrepareAgent`` answers PREPARING and the next call sees
PREPARED; any change to the draft makes it NOT_PREPARED again.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from course.bedrock_sim import state
from course.bedrock_sim.protocol import Reply, ServiceError, validation

TEST_ALIAS_ID = "TSTALIASID"
TEST_ALIAS_NAME = "AgentTestAlias"
NAME_PATTERN = "([0-9a-zA-Z][_-]?){1,100}"
ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SETTLED = {"CREATING": "NOT_PREPARED", "UPDATING": "NOT_PREPARED", "PREPARING": "PREPARED", "VERSIONING": "PREPARED"}
ALIAS_SETTLED = {"CREATING": "PREPARED", "UPDATING": "PREPARED"}
NOT_FOUND = (
    "Failed to retrieve resource because it doesn't exist. Retry the request with a different resource identifier."
)


def constraint(field: str, value: Any, rule: str) -> ServiceError:
    """A ValidationException worded as AWS words member constraints."""
    shown = "null" if value is None else f"'{value}'"
    return validation(f"1 validation error detected: Value {shown} at '{field}' failed to satisfy constraint: {rule}")


def check_name(field: str, value: str) -> None:
    if not isinstance(value, str) or not re.fullmatch(NAME_PATTERN, value):
        raise constraint(field, value, f"Member must satisfy regular expression pattern: {NAME_PATTERN}")


def check_length(field: str, value: str | None, low: int, high: int) -> None:
    if value is not None and not low <= len(value) <= high:
        raise constraint(field, "*" * min(len(value), 8), f"Member must have length between {low} and {high}")


def require(field: str, value: Any) -> None:
    if value in (None, ""):
        raise constraint(field, None, "Member must not be null")


def require_draft(version: str) -> None:
    if version != "DRAFT":
        raise constraint("agentVersion", version, "Member must satisfy regular expression pattern: DRAFT")


def not_found() -> ServiceError:
    return ServiceError("ResourceNotFoundException", NOT_FOUND)


def new_id() -> str:
    return state.get().new_id("agent-family", 10, ID_ALPHABET)


def agent_arn(region: str, agent_id: str) -> str:
    return f"arn:aws:bedrock:{region}:{state.ACCOUNT_ID}:agent/{agent_id}"


def alias_arn(region: str, agent_id: str, alias_id: str) -> str:
    return f"arn:aws:bedrock:{region}:{state.ACCOUNT_ID}:agent-alias/{agent_id}/{alias_id}"


def get_agent(agent_id: str) -> dict[str, Any]:
    agent = state.get().agents.get(agent_id)
    if agent is None:
        raise not_found()
    settle(agent)
    return agent


def settle(agent: dict[str, Any]) -> None:
    """Finish the status change a previous call started (CREATING -> NOT_PREPARED, ...)."""
    agent["status"] = SETTLED.get(agent["status"], agent["status"])
    for alias in agent["aliases"].values():
        alias["agentAliasStatus"] = ALIAS_SETTLED.get(alias["agentAliasStatus"], alias["agentAliasStatus"])


def changed(agent: dict[str, Any]) -> None:
    """The draft changed: it must be prepared again before the test alias sees the change."""
    agent["status"] = "NOT_PREPARED"
    agent["updatedAt"] = state.get().now()


def snapshot(agent: dict[str, Any]) -> dict[str, Any]:
    """A frozen copy of the draft: configuration, action groups, knowledge bases, collaborators."""
    return copy.deepcopy(
        {
            "config": agent["config"],
            "actionGroups": agent["actionGroups"],
            "knowledgeBases": agent["knowledgeBases"],
            "collaborators": agent["collaborators"],
            "createdAt": agent["createdAt"],
            "updatedAt": agent["updatedAt"],
        }
    )


def part(agent: dict[str, Any], version: str, key: str) -> dict[str, Any]:
    """Action groups, knowledge bases or collaborators of the draft or of a numbered version."""
    if version == "DRAFT":
        return agent[key]
    found = agent["versions"].get(version)
    if found is None:
        raise not_found()
    return found[key]


def page(items: list[dict[str, Any]], params: dict[str, Any], key: str) -> Reply:
    size = params.get("maxResults") or 1000
    try:
        start = int(params.get("nextToken") or 0)
    except ValueError as exc:
        raise validation("The nextToken is not valid.") from exc
    output: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        output["nextToken"] = str(start + size)
    return Reply(output)


def name_taken(name: str, existing_id: str) -> ServiceError:
    return ServiceError(
        "ConflictException",
        f"Could not perform Create operation, since the {name} (id: {existing_id}) with the same name {name} "
        "already exists",
    )


def in_use(message: str) -> ServiceError:
    return ServiceError("ConflictException", message)


def parse_alias_arn(arn: str) -> tuple[str, str]:
    m = re.fullmatch(
        r"arn:aws:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:agent-alias/([0-9a-zA-Z]{10})/([0-9a-zA-Z]{10})", arn or ""
    )
    if not m:
        raise constraint(
            "agentDescriptor.aliasArn",
            arn,
            "Member must satisfy regular expression pattern: "
            "arn:aws:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:agent-alias/[0-9a-zA-Z]{10}/[0-9a-zA-Z]{10}",
        )
    return m.group(1), m.group(2)
