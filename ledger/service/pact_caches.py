"""The PACT host's in-process caches: decrypted envelopes, served footprints and on-chain leaf states.

- Envelopes and served footprints are keyed by what makes them: a stored declaration never changes (its id and
  digest), and a served footprint is fixed by the declaration, its batch and its status.
- Leaf states are chain reads. One is reused while it is younger than `ttl` seconds *and* no transaction went
  through this server's chain since it was read (`writes()`, the serialized chain's write count): a revocation this
  server relays shows on the next request; one mined through another server or node shows within `ttl`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from ledger.chain_port import LeafState

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most `size` values, the least recently used dropped first; safe across threads."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value of `key`, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        """Remember `value` under `key`; returns it."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


def no_writes() -> int:
    """The write count of a chain whose writes this process cannot see: constant, so only the TTL expires reads."""
    return 0


class LeafStateCache:
    """On-chain leaf states, each fresh for `ttl` seconds and until this server's chain writes again."""

    def __init__(
        self,
        read: Callable[[list[bytes]], list[LeafState]],
        *,
        ttl: float,
        writes: Callable[[], int] = no_writes,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.read = read
        self.ttl = ttl
        self.writes = writes
        self.clock = clock
        self._seen: dict[str, tuple[float, int, LeafState]] = {}
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()

    def states(self, leaves: Iterable[str]) -> dict[str, LeafState]:
        """The state of each leaf (``0x``-hex), reading the stale or unknown ones from the chain in one call."""
        wanted = list(dict.fromkeys(leaves))
        fresh = self._fresh(wanted)
        if len(fresh) < len(wanted):
            with self._refreshing:  # one thread reads; the others waiting here then find its answers fresh
                fresh = self._fresh(wanted)
                missing = [leaf for leaf in wanted if leaf not in fresh]
                if missing:
                    generation, now = self.writes(), self.clock()  # before the read: a racing write makes it stale
                    read = self.read([bytes.fromhex(leaf[2:]) for leaf in missing])
                    with self._lock:
                        for leaf, state in zip(missing, read, strict=True):
                            self._seen[leaf] = fresh[leaf] = (now, generation, state)
        return {leaf: fresh[leaf][2] for leaf in wanted}

    def _fresh(self, leaves: list[str]) -> dict[str, tuple[float, int, LeafState]]:
        generation, now = self.writes(), self.clock()
        with self._lock:
            return {leaf: self._seen[leaf] for leaf in leaves if self._is_fresh(leaf, generation, now)}

    def _is_fresh(self, leaf: str, generation: int, now: float) -> bool:
        seen = self._seen.get(leaf)
        return seen is not None and seen[1] == generation and now - seen[0] <= self.ttl
