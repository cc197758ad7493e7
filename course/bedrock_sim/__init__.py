"""An offline, deterministic stand-in for Amazon Bedrock that plain boto3 clients reach.

After ``course.sandbox.start()`` and :func:`activate`, ``boto3.client("bedrock-runtime")``,
``"bedrock"``, ``"bedrock-agent"``, ``"bedrock-agent-runtime"`` and ``"s3vectors"`` answer the
simulated operations (see README.md). Nothing here leaves the machine.

Nothing heavy is imported until the first simulated request.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "activate",
    "reset",
    "set_quota",
    "clear_quota",
    "quota_status",
    "estimate_cost",
    "inject_fault",
    "clear_faults",
    "active_faults",
    "set_region_outage",
    "advance_clock",
    "invocations",
]


def activate() -> None:
    """Route Bedrock-family requests to the simulator (idempotent, cheap)."""
    from course.bedrock_sim import hook

    hook.install()


def deactivate() -> None:
    """Undo :func:`activate` (tests only)."""
    from course.bedrock_sim import hook

    hook.uninstall()


def reset() -> None:
    """Forget every simulated resource, quota and counter."""
    from course.bedrock_sim import state

    state.reset()


def set_quota(model_id: str, requests_per_window: int, window_attempts: int | None = None) -> None:
    """Throttle ``model_id`` deterministically, to practise retries with backoff.

    Attempts are counted, not seconds: in each window of ``window_attempts`` attempts
    (default ``requests_per_window + 2``) the first ``requests_per_window`` succeed and the rest
    fail with ``ThrottlingException``. botocore retries throttling errors by itself; create
    the client with ``Config(retries={"total_max_attempts": 1})`` to see every throttle.
    """
    from course.bedrock_sim import state

    if requests_per_window < 0:
        raise ValueError("requests_per_window must be >= 0")
    window = window_attempts if window_attempts is not None else requests_per_window + 2
    if window < max(requests_per_window, 1):
        raise ValueError("window_attempts must be >= requests_per_window")
    state.get().quotas[model_id] = state.Quota(limit=requests_per_window, window=window)


def clear_quota(model_id: str | None = None) -> None:
    """Remove the quota of ``model_id`` (or every quota)."""
    from course.bedrock_sim import state

    if model_id is None:
        state.get().quotas.clear()
    else:
        state.get().quotas.pop(model_id, None)


def quota_status(model_id: str) -> dict[str, Any] | None:
    """Counters of the quota on ``model_id``: attempts, accepted, throttled."""
    from course.bedrock_sim import state

    quota = state.get().quotas.get(model_id)
    if quota is None:
        return None
    return {
        "limit": quota.limit,
        "window": quota.window,
        "attempts": quota.attempts,
        "accepted": quota.accepted,
        "throttled": quota.throttled,
    }


def estimate_cost(model_id: str, input_tokens: int, output_tokens: int = 0) -> float:
    """On-demand USD cost of one call from the catalogue prices (course/data/bedrock/models.yaml)."""
    from course.bedrock_sim import catalogue

    return catalogue.estimate_cost(model_id, input_tokens, output_tokens)


def inject_fault(kind: str, target: str, **options: Any) -> None:
    """Make the simulator fail (or answer) in one deterministic way, to practise troubleshooting.

    Kinds (course/data/bedrock/faults.yaml): ``context_window`` (model; ``tokens``),
    ``default_max_tokens`` (model; ``tokens``), ``throttle`` (model; ``allowed``, ``window``),
    ``unfilled_variable`` (model), ``format_confusion`` (model) and ``embedding_drift``
    (knowledge base id). ``target`` is a catalogue model id or a knowledge base id.
    """
    from course.bedrock_sim import faults

    faults.inject(kind, target, options)


def clear_faults(kind: str | None = None, target: str | None = None) -> None:
    """Remove injected faults (all, or those of one kind and/or target)."""
    from course.bedrock_sim import faults

    faults.clear(kind, target)


def active_faults() -> list[dict[str, Any]]:
    """The injected faults: kind, target and options."""
    from course.bedrock_sim import faults

    return faults.active()


def set_region_outage(region: str, down: bool = True) -> None:
    """Take a Region down (or bring it back) for on-demand and cross-Region inference.

    A call served only by that Region fails with ``ServiceUnavailableException`` (HTTP 503); a
    cross-Region inference profile routes around it (regions.py).
    """
    from course.bedrock_sim import regions

    regions.set_outage(region, down)


def advance_clock(seconds: float) -> float:
    """Move the simulated clock on (prompt-cache TTLs, imported-model idling); return its time."""
    from course.bedrock_sim import serving

    return serving.advance(seconds)


def invocations() -> list[dict[str, Any]]:
    """One record per runtime call the simulator received: model, Region, tier, tokens, cache, latency, cost."""
    from course.bedrock_sim import serving

    return [dict(r) for r in serving.records()]
