"""Ids, ARNs, paging and tags shared by the control-plane resources of the operations modules.

Every resource kind keeps its records in ``state.get().ops[<kind>]`` (a dict by id), so
``bedrock_sim.reset()`` forgets them all. Ids are deterministic (``state.new_id``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from course.bedrock_sim import state
from course.bedrock_sim.protocol import Call, Reply, not_found, validation

LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"


def store(kind: str) -> dict[str, dict[str, Any]]:
    return state.get().ops.setdefault(kind, {})


def new_id(kind: str, length: int = 12) -> str:
    return state.get().new_id(kind, length, LOWER)


def arn(region: str, resource: str) -> str:
    return f"arn:aws:bedrock:{region}:{state.ACCOUNT_ID}:{resource}"


def now() -> _dt.datetime:
    return state.get().now()


def find(kind: str, identifier: str, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    """The record whose id, ARN or name (``keys``) equals ``identifier``, else ResourceNotFound."""
    for record in store(kind).values():
        if any(record.get(k) == identifier for k in keys):
            return record
    raise not_found(f"The {what} {identifier} couldn't be found. Check the identifier and try again.")


def page(items: list[dict[str, Any]], call: Call, key: str) -> Reply:
    """One page of ``items`` with the call's maxResults / nextToken (an offset)."""
    size = call.params.get("maxResults") or 1000
    token = call.params.get("nextToken") or "0"
    if not str(token).isdigit():
        raise validation("The provided nextToken is invalid.")
    start = int(token)
    output: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        output["nextToken"] = str(start + size)
    return Reply(output)


def sort_by_time(
    items: list[dict[str, Any]], call: Call, field: str, default: str = "Descending"
) -> list[dict[str, Any]]:
    ordered = sorted(items, key=lambda r: (r[field], r.get("_seq", 0)))
    if (call.params.get("sortOrder") or default) == "Descending":
        ordered.reverse()
    return ordered


def in_window(value: _dt.datetime, after: Any, before: Any) -> bool:
    """Whether ``value`` is after ``after`` and before ``before`` (either may be missing)."""

    def as_dt(raw: Any) -> _dt.datetime:
        if isinstance(raw, _dt.datetime):
            return raw if raw.tzinfo else raw.replace(tzinfo=_dt.UTC)
        text = str(raw)
        if text.replace(".", "", 1).isdigit():
            return _dt.datetime.fromtimestamp(float(text), _dt.UTC)
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))

    return (after is None or value > as_dt(after)) and (before is None or value < as_dt(before))


def sequence() -> int:
    """A creation counter that orders records created within the same clock tick."""
    st = state.get()
    st.ops["seq"] = st.ops.get("seq", 0) + 1
    return st.ops["seq"]


# ------------------------------------------------------------------ tags


def tags() -> dict[str, dict[str, str]]:
    return state.get().ops.setdefault("tags", {})


def set_tags(resource_arn: str, pairs: list[dict[str, str]] | None) -> None:
    bucket = tags().setdefault(resource_arn, {})
    for pair in pairs or []:
        bucket[pair["key"]] = pair["value"]


def tag_list(resource_arn: str) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in sorted(tags().get(resource_arn, {}).items())]
