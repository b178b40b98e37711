"""A chain leader's coverage of its supply chain: its requests (and those its suppliers forwarded) tallied by tier
and by product, the bill-of-materials inputs nothing covers yet, answered with a fixed "now".

An input is *missing* when the product graph needs it (a bill-of-materials line of the product or of a declared
input, at any depth) and it has neither a current declaration nor a footprint request.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from ledger.requests.rules import FULFILLED, OPEN, REJECTED, is_overdue

Key = TypeVar("Key", int, str)


@dataclass(frozen=True)
class RequestFacts:
    """One footprint request as coverage needs it."""

    id: str
    requester: str
    receiver: str
    product_id: str
    tier: int
    status: str
    deadline: datetime | None = None
    reason_code: str | None = None
    reason_message: str | None = None
    declaration_id: str | None = None
    origin: str = "tanji"

    def overdue(self, now: datetime) -> bool:
        """Open and past its deadline at `now`."""
        return is_overdue(self.status, self.deadline, now)


@dataclass
class Tally:
    """Requests of one tier or one product: how many were made, answered each way, still open, overdue."""

    requested: int = 0
    fulfilled: int = 0
    rejected: int = 0
    open: int = 0
    overdue: int = 0
    rejections: list[dict[str, str]] = field(default_factory=list)

    def add(self, request: RequestFacts, now: datetime) -> None:
        """Count `request`."""
        self.requested += 1
        if request.status == FULFILLED:
            self.fulfilled += 1
        elif request.status == REJECTED:
            self.rejected += 1
            self.rejections.append(
                {
                    "request": request.id,
                    "receiver": request.receiver,
                    "product": request.product_id,
                    "code": request.reason_code or "",
                    "message": request.reason_message or "",
                }
            )
        elif request.status == OPEN:
            self.open += 1
            self.overdue += int(request.overdue(now))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "requested": self.requested,
            "fulfilled": self.fulfilled,
            "rejected": self.rejected,
            "open": self.open,
            "overdue": self.overdue,
            "rejections": list(self.rejections),
        }


def tally_by(requests: Iterable[RequestFacts], key: Callable[[RequestFacts], Key], now: datetime) -> dict[Key, Tally]:
    """Requests grouped by `key` (tier, product ...), in key order, and tallied at `now`."""
    tallies: dict[Key, Tally] = {}
    for request in requests:
        tallies.setdefault(key(request), Tally()).add(request, now)
    return {name: tallies[name] for name in sorted(tallies)}


@dataclass(frozen=True)
class MissingInput:
    """A bill-of-materials input of `consumer` (at `tier` below the product) with no declaration and no request."""

    consumer: str
    input_product: str
    tier: int

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"consumer": self.consumer, "input": self.input_product, "tier": self.tier}


def missing_inputs(
    product: str, bill_of_materials: Mapping[str, Sequence[str]], requested: Iterable[str]
) -> list[MissingInput]:
    """Inputs of `product`'s graph with neither a current declaration nor a request.

    `bill_of_materials` maps every product with a current declaration to its input product ids; the walk follows
    declared inputs down (breadth first, each product once, so loops end) and reports an undeclared, unrequested
    input at the tier it is first met (1: a direct input of `product`).
    """
    asked = set(requested)
    found: list[MissingInput] = []
    seen = {product}
    queue: deque[tuple[str, int]] = deque([(product, 0)])
    while queue:
        consumer, depth = queue.popleft()
        for line in bill_of_materials.get(consumer, ()):
            if line in bill_of_materials:
                if line not in seen:
                    seen.add(line)
                    queue.append((line, depth + 1))
            elif line not in asked and line not in seen:
                seen.add(line)
                found.append(MissingInput(consumer, line, depth + 1))
    return found
