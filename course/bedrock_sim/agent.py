"""bedrock-agent operations answered by the simulator (knowledge bases, data sources,
ingestion jobs, prompts). Agents, action groups and flows stay with moto."""

from __future__ import annotations

from typing import Any

from course.bedrock_sim import knowledge_bases, prompts

OPERATIONS = {**knowledge_bases.OPERATIONS, **prompts.OPERATIONS}


def render_prompt(arn: str, variables: dict[str, Any]) -> dict[str, Any]:
    return prompts.render(arn, variables)
