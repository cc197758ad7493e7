"""Service tiers (``serviceTier``) and latency-optimised inference (``performanceConfig``).

Both are accepted only where the catalogue says the model offers them, and change the simulated
latency (``operations.yaml`` latencyFactors) and the price (the model's priority*/flex*/optimized*
prices). Rules, as on AWS:

- ``default`` (Standard) is always accepted; ``priority`` and ``flex`` only for models listing them
  in ``serviceTiers``; ``reserved`` needs a reservation arranged with the AWS account team, which
  the simulator never has, so it is refused;
- ``performanceConfig.latency = optimized`` only for models with ``latencyOptimizedRegions``, called
  through a cross-Region inference profile from one of those Regions; ``standard`` always works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course.bedrock_sim import operations_data
from course.bedrock_sim.protocol import validation


@dataclass
class Choice:
    tier: str | None  # as requested (None when the request named none)
    latency: str | None

    @property
    def price_key(self) -> str:
        """Which price applies: optimized, priority, flex or standard."""
        if self.latency == "optimized":
            return "optimized"
        return self.tier if self.tier in ("priority", "flex") else "standard"

    @property
    def factor(self) -> float:
        factors = operations_data.load()["latencyFactors"]
        if self.latency == "optimized":
            return factors["optimized"]
        return factors.get(self.tier or "default", 1.0)

    @property
    def metric_suffix(self) -> str:
        """CloudWatch shows these requests under ``<model-id>+priority`` / ``+flex`` / ``+latency-optimized``."""
        if self.latency == "optimized":
            return "+latency-optimized"
        return f"+{self.tier}" if self.tier in ("priority", "flex") else ""


def choose(tier: str | None, latency: str | None, model: dict[str, Any], region: str, via: str) -> Choice:
    """Validate the requested tier and latency mode for ``model`` called from ``region``."""
    if tier == "reserved":
        raise validation(
            "The reserved service tier requires reserved capacity for this model. Contact your AWS account "
            "team to reserve capacity, or use the default, priority or flex tier."
        )
    if tier in ("priority", "flex") and tier not in model.get("serviceTiers", []):
        raise validation(
            f"The model {model['modelId']} doesn't support the {tier} service tier. Try again with the default "
            "service tier or a model that supports this tier."
        )
    if latency == "optimized":
        regions = model.get("latencyOptimizedRegions")
        if not regions:
            raise validation(f"The model {model['modelId']} doesn't support latency-optimized inference.")
        if via not in ("INFERENCE_PROFILE", "APPLICATION_PROFILE") or region not in regions:
            raise validation(
                f"Latency-optimized inference for {model['modelId']} is available only through a cross-Region "
                f"inference profile called from {', '.join(regions)}."
            )
    return Choice(tier, latency)
