"""An in-process cache of bearer-token records, so a request does not read the token table every time.

Entries are keyed by the token's SHA-256, bounded in number (least recently used out) and trusted for `ttl`
seconds after they were read from the store. :class:`ledger.service.identity.IdentityService` forgets a client's
entries when it revokes or rotates it; a revocation made by another process is seen within `ttl`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

TOKEN_CACHE_SECONDS = 1.0  # a revocation made by another process stops this one's cached tokens within this bound
TOKEN_CACHE_SIZE = 4096


@dataclass(frozen=True)
class TokenRecord:
    """What a stored bearer token stands for (the parts of its row a request needs)."""

    org_handle: str
    method: str
    subject: str
    expires_at: int


class TokenCache:
    """Live token records by token hash, each trusted for `ttl` seconds after it was read, at most `size` of them.

    Only records read as live (known, not revoked) are kept; unknown tokens always go to the store.
    """

    def __init__(self, *, ttl: float, size: int = TOKEN_CACHE_SIZE, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._items: OrderedDict[str, tuple[float, TokenRecord]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token_hash: str) -> TokenRecord | None:
        """The record of `token_hash` if read less than `ttl` seconds ago."""
        with self._lock:
            item = self._items.get(token_hash)
            if item is None:
                return None
            if self.clock() - item[0] >= self.ttl:
                del self._items[token_hash]
                return None
            self._items.move_to_end(token_hash)
            return item[1]

    def put(self, token_hash: str, record: TokenRecord) -> None:
        """Remember a live record (the least recently used one goes when the cache is full)."""
        if self.ttl <= 0:
            return
        with self._lock:
            self._items[token_hash] = (self.clock(), record)
            self._items.move_to_end(token_hash)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def forget_subject(self, subject: str) -> None:
        """Drop every token of `subject` (a client id or an address): it was revoked or rotated."""
        with self._lock:
            for token_hash in [h for h, (_, record) in self._items.items() if record.subject == subject]:
                del self._items[token_hash]

    def __len__(self) -> int:
        return len(self._items)
