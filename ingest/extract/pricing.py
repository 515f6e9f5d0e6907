"""The one price table: what a model's tokens cost, in USD per million tokens.

OpenAI list prices (standard tier, text tokens) as of ``PRICES_AS_OF``; edit this table, and only
this table, when prices change or to add a model. A dated snapshot (``gpt-4o-mini-2024-07-18``)
takes the price of the longest table key it starts with. A price the caller states
(``LLMConfig.price``, from ``ARGMAP_PRICE_*``) wins over the table. A model with neither (a local
server's, say) has no known price: its cost is reported as unknown and ``--max-cost`` refuses to
run.
"""

from __future__ import annotations

from argmap.core.config import Price

__all__ = ["BATCH_DISCOUNT", "PRICES", "PRICES_AS_OF", "Price", "cost_usd", "price_for"]

PRICES_AS_OF = "2025-08"
BATCH_DISCOUNT = 0.5  # the Batch API bills half of the standard rates


PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.075, 0.60),
    "gpt-4o": Price(2.50, 1.25, 10.00),
    "gpt-4.1-nano": Price(0.10, 0.025, 0.40),
    "gpt-4.1-mini": Price(0.40, 0.10, 1.60),
    "gpt-4.1": Price(2.00, 0.50, 8.00),
    "gpt-5-nano": Price(0.05, 0.005, 0.40),
    "gpt-5-mini": Price(0.25, 0.025, 2.00),
    "gpt-5": Price(1.25, 0.125, 10.00),
    "o4-mini": Price(1.10, 0.275, 4.40),
}


def price_for(model: str, stated: Price | None = None) -> Price | None:
    """The price of ``model``: ``stated`` if given, else the table's (exact name, else the
    longest key it starts with), else None."""
    if stated is not None:
        return stated
    name = model.split("/")[-1]  # "openai/gpt-4o-mini" as some gateways spell it
    if name in PRICES:
        return PRICES[name]
    keys = [k for k in PRICES if name.startswith(k + "-")]
    return PRICES[max(keys, key=len)] if keys else None


def cost_usd(
    price: Price | None,
    prompt_tokens: int,
    completion_tokens: int,
    cached_tokens: int = 0,
    batch: bool = False,
) -> float:
    """The cost of one request's tokens at ``price`` (0.0 when the price is unknown); ``batch``:
    sent through the Batch API."""
    if price is None:
        return 0.0
    fresh = max(prompt_tokens - cached_tokens, 0)
    full = (
        fresh * price.input + cached_tokens * price.cached_input + completion_tokens * price.output
    ) / 1_000_000
    return full * BATCH_DISCOUNT if batch else full
