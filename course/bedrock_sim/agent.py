"""bedrock-agent operations answered by the simulator (knowledge bases, data sources,
ingestion jobs, prompts, and the whole agent family: agents, action groups, aliases, versions,
knowledge-base associations, collaborators, tags) and flows (flows.py)."""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import action_groups, agent_links, agents, flows, knowledge_bases, prompts

OPERATIONS = {
    **knowledge_bases.OPERATIONS,
    **prompts.OPERATIONS,
    **agents.OPERATIONS,  # the agent family (agents.py, action_groups.py, agent_links.py)
    **action_groups.OPERATIONS,
    **agent_links.OPERATIONS,
    **flows.OPERATIONS,  # Bedrock Flows: definitions, prepare, versions, aliases
}


def render_prompt(arn: str, variables: dict[str, Any]) -> dict[str, Any]:
    return prompts.render(arn, variables)
