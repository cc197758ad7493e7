"""Shared constants and request builders for the bedrock_sim tests."""

from __future__ import annotations

import json

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
NOVA = "amazon.nova-lite-v1:0"
TITAN_EMBED = "amazon.titan-embed-text-v2:0"


def claude_body(content, **extra):
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 200,
        "messages": [{"role": "user", "content": content}],
    }
    body.update(extra)
    return json.dumps(body)


def user(text):
    return [{"role": "user", "content": [{"text": text}]}]
