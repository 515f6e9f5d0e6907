"""The one price table: what a model's tokens cost, in USD per million tokens.

OpenAI list prices (standard tier, text tokens) as of ``PRICES_AS_OF``; edit this table, and only
this table, when prices change or to add a model. A dated snapshot (``gpt-4o-mini-2024-07-18``)
takes the price of the longest table key it starts with. A model not in the table (a local
server's, say) has no known price: its cost is reported as 0 and ``--max-cost`` refuses to run.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICES_AS_OF = "2025-08"
BATCH_DISCOUNT = 0.5  # the Batch API bills half of the standard rates


@dataclass(frozen=True)
class Price:
    """USD per million tokens: prompt, prompt served from OpenAI's prompt cache, completion."""

    input: float
    cached_input: float
    output: float


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


def price_for(model: str) -> Price | None:
    """The price of ``model`` (exact name, else the longest key it starts with), or None."""
    name = model.split("/")[-1]  # "openai/gpt-4o-mini" as some gateways spell it
    if name in PRICES:
        return PRICES[name]
    keys = [k for k in PRICES if name.startswith(k + "-")]
    return PRICES[max(keys, key=len)] if keys else None


def cost_usd(
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
    cached_tokens: int = 0,
    batch: bool = False,
) -> float:
    """The cost of one request's tokens (0.0 when the model's price is unknown); ``batch``: sent
    through the Batch API."""
    price = price_for(model)
    if price is None:
        return 0.0
    fresh = max(prompt_tokens - cached_tokens, 0)
    full = (
        fresh * price.input + cached_tokens * price.cached_input + completion_tokens * price.output
    ) / 1_000_000
    return full * BATCH_DISCOUNT if batch else full
