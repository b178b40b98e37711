"""Public chain reads of the native API (member lists and records for GET /v1/organizations), remembered per app.

A page of organizations otherwise costs an event scan (MemberRegistered logs) and a chain call per member on every
request. A read is reused while no transaction went through this server's chain since it was made (the serialized
chain's write count: a member registered or suspended through this server shows on the next request) and for at most
`ttl` seconds (the bound for changes mined through another server or node). Admission checks never use this cache.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Annotated, Any, cast

from fastapi import Depends, Request

from api.http.runtime import Runtime, chain_writes
from ledger.chain_port import ActingChainPort

PUBLIC_READ_SECONDS = 2.0
_MEMOIZED = frozenset({"member", "member_names"})
_LOCK = threading.Lock()


class CachedPublicReads:
    """An ActingChainPort whose `member` and `member_names` answers are reused (see the module docstring)."""

    def __init__(
        self, chain: ActingChainPort, *, ttl: float = PUBLIC_READ_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._chain = chain
        self._ttl = ttl
        self._clock = clock
        self._seen: dict[tuple[str, tuple[Any, ...]], tuple[float, int, Any]] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._chain, name)
        if name not in _MEMOIZED:
            return attribute

        def remembered(*args: Any) -> Any:
            key, generation, now = (name, args), chain_writes(self._chain), self._clock()
            with self._lock:
                seen = self._seen.get(key)
            if seen is not None and seen[1] == generation and now - seen[0] <= self._ttl:
                return seen[2]
            value = attribute(*args)
            with self._lock:
                self._seen[key] = (now, generation, value)
            return value

        return remembered


def public_reads_of(runtime: Runtime, state: Any) -> ActingChainPort:
    """The app's cached public view of `runtime`'s chain (made on first use)."""
    with _LOCK:
        reads = getattr(state, "public_chain_reads", None)
        if reads is None:
            reads = CachedPublicReads(runtime.chain)
            state.public_chain_reads = reads
    return cast(ActingChainPort, reads)


async def get_public_reads(request: Request) -> ActingChainPort:
    """Dependency: the cached public chain view of the request's app."""
    return public_reads_of(request.app.state.runtime, request.app.state)


PublicChainDep = Annotated[ActingChainPort, Depends(get_public_reads)]
