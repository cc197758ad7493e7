"""What a call costs, from the catalogue prices (USD per 1,000 tokens).

Input tokens read from the prompt cache are billed at ``cacheReadPer1kTokens``, tokens written
at ``cacheWritePer1kTokens`` (``cacheWrite1hPer1kTokens`` for a one-hour TTL), the rest at the
input price of the tier used (Priority, Flex, latency-optimised or Standard). Models with a
``regionalPremium`` (Claude 4.5 and later) list global cross-Region prices; a geographic profile
or an in-Region call costs that much more.
"""

from __future__ import annotations

from typing import Any


def unit_prices(
    model: dict[str, Any], price_key: str = "standard", global_profile: bool = False
) -> tuple[float, float]:
    """(input, output) USD per 1,000 tokens for a tier (standard, priority, flex, optimized, batch)."""
    pricing = model["pricing"]
    if price_key == "standard":
        prices = (pricing["inputPer1kTokens"], pricing["outputPer1kTokens"])
    else:
        prices = (pricing[f"{price_key}InputPer1kTokens"], pricing[f"{price_key}OutputPer1kTokens"])
    premium = 0.0 if global_profile else pricing.get("regionalPremium", 0.0)
    return prices[0] * (1 + premium), prices[1] * (1 + premium)


def call_cost(
    model: dict[str, Any],
    input_tokens: int,
    output_tokens: int,
    *,
    cache_read: int = 0,
    cache_details: list[dict[str, Any]] | None = None,
    price_key: str = "standard",
    global_profile: bool = False,
) -> float:
    """USD cost of one call; ``input_tokens`` excludes the cached ones."""
    pricing = model["pricing"]
    price_in, price_out = unit_prices(model, price_key, global_profile)
    premium = 0.0 if global_profile else pricing.get("regionalPremium", 0.0)
    cost = input_tokens / 1000 * price_in + output_tokens / 1000 * price_out
    if cache_read:
        cost += cache_read / 1000 * pricing.get("cacheReadPer1kTokens", pricing["inputPer1kTokens"]) * (1 + premium)
    for detail in cache_details or []:
        key = "cacheWrite1hPer1kTokens" if detail["ttl"] == "1h" else "cacheWritePer1kTokens"
        rate = pricing.get(key, pricing.get("cacheWritePer1kTokens", pricing["inputPer1kTokens"]))
        cost += detail["inputTokens"] / 1000 * rate * (1 + premium)
    return cost
