"""Exam scoring rules: a question earns credit only when entirely right."""

from __future__ import annotations

from typing import Any


def normalise(q: dict, response: Any) -> Any:
    """A response in canonical form, or None when it cannot be an answer to ``q``."""
    kind = q["type"]
    if response is None:
        return None
    if kind == "single":
        return response if isinstance(response, str) else None
    if kind == "multi":
        if not isinstance(response, (list, tuple, set, frozenset)) or not all(isinstance(r, str) for r in response):
            return None
        return frozenset(response)
    if kind == "ordering":
        if not isinstance(response, (list, tuple)) or not all(isinstance(r, str) for r in response):
            return None
        return tuple(response)
    if kind == "matching":
        if not isinstance(response, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in response.items()
        ):
            return None
        return dict(response)
    return None


def is_complete(q: dict, response: Any) -> bool:
    """Has the learner answered every part (e.g. placed every item, paired every prompt)?"""
    r = normalise(q, response)
    if r is None:
        return False
    kind = q["type"]
    if kind == "single":
        return bool(r)
    if kind == "multi":
        return len(r) > 0
    if kind == "ordering":
        return len(r) == len(q["items"]) and len(set(r)) == len(r)
    return set(r) == {p["id"] for p in q["prompts"]}


def is_correct(q: dict, response: Any, answer: Any) -> bool:
    """All-or-nothing credit, as on the exam."""
    r = normalise(q, response)
    a = normalise(q, answer)
    return r is not None and a is not None and r == a


def expected_count(q: dict, answer: Any) -> int | None:
    """How many options a multiple-response question asks for (shown in its stem)."""
    return len(answer) if q["type"] == "multi" and answer is not None else None
