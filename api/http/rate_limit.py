"""A token bucket per caller: the authenticated client or wallet when there is one, else the remote address.

Each process keeps its own buckets (with several workers a caller gets up to N times the rate; put a shared
limiter in front for a hard global limit).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from starlette.exceptions import HTTPException


class RateLimiter:
    """`per_minute` requests per key, in bursts of up to `per_minute`; 429 with Retry-After beyond."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000):
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, last seen)
        self._lock = threading.Lock()

    def charge(self, key: str) -> None:
        """Take one token from `key`'s bucket, or raise HTTPException 429 saying when to retry."""
        now = self.clock()
        with self._lock:
            tokens, seen = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - seen) * self.refill_per_second)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:  # forget the least recently seen callers
                self._buckets.popitem(last=False)
        if not allowed:
            wait = math.ceil((1.0 - tokens) / self.refill_per_second)
            raise HTTPException(
                429,
                f"rate limit of {int(self.capacity)} requests per minute reached; retry in {wait} s",
                headers={"Retry-After": str(wait)},
            )
