"""All mutable simulator state, in one object that :func:`reset` replaces."""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

ACCOUNT_ID = "123456789012"  # moto's default account, as in course.sandbox


@dataclass
class Quota:
    """A deterministic request quota: ``limit`` accepted calls per window of ``window`` attempts."""

    limit: int
    window: int
    attempts: int = 0
    accepted: int = 0
    throttled: int = 0

    def admit(self) -> bool:
        position = self.attempts % self.window
        self.attempts += 1
        if position < self.limit:
            self.accepted += 1
            return True
        self.throttled += 1
        return False


@dataclass
class State:
    counter: int = 0
    guardrails: dict[str, dict[str, Any]] = field(default_factory=dict)
    provisioned: dict[str, dict[str, Any]] = field(default_factory=dict)
    knowledge_bases: dict[str, dict[str, Any]] = field(default_factory=dict)
    prompts: dict[str, dict[str, Any]] = field(default_factory=dict)
    quotas: dict[str, Quota] = field(default_factory=dict)
    sessions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Operations: inference profiles, prompt routers, batch and customization jobs, the prompt
    # cache, Region outages, per-call records and a simulated clock (seconds) for cache TTLs.
    ops: dict[str, Any] = field(default_factory=dict)
    evaluation_jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (kind, target) -> options
    # Bedrock Agents (agents.py and agent_*.py): agents with their action groups, aliases and
    # versions; InvokeAgent sessions; session-summary memory; a record of every invocation.
    agents: dict[str, dict[str, Any]] = field(default_factory=dict)
    agent_sessions: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    agent_memory: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    agent_records: list[dict[str, Any]] = field(default_factory=list)
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)  # Bedrock Flows (flows.py)
    clock: _dt.datetime = field(default_factory=lambda: _dt.datetime(2025, 1, 1, tzinfo=_dt.UTC))

    def new_id(self, kind: str, length: int = 10, alphabet: str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") -> str:
        """A deterministic id: the same sequence of creations gives the same ids after a reset."""
        self.counter += 1
        digest = int(hashlib.sha256(f"{kind}:{self.counter}".encode()).hexdigest(), 16)
        chars = []
        for _ in range(length):
            digest, index = divmod(digest, len(alphabet))
            chars.append(alphabet[index])
        return "".join(chars)

    def now(self) -> _dt.datetime:
        """Real time for timestamps (ids and model outputs never depend on it)."""
        return _dt.datetime.now(_dt.UTC)


_state = State()


def get() -> State:
    return _state


def reset() -> None:
    global _state
    _state = State()
