"""GET /v1/organizations reads the chain once per change, not once per request (api.http.chain_reads)."""

from __future__ import annotations

from typing import Any

from api.http.chain_reads import CachedPublicReads


class FakeChain:
    """Member names and records, a write count like SerializedChain's, and a count of reads."""

    def __init__(self) -> None:
        self.writes = 0
        self.names = ["acme"]
        self.reads = 0

    def member_names(self) -> list[str]:
        self.reads += 1
        return list(self.names)

    def member(self, org: str) -> Any:
        self.reads += 1
        return {"org": org, "names": len(self.names)}

    def register_member(self, org: str) -> None:
        self.names.append(org)
        self.writes += 1


def test_repeated_listings_read_the_chain_once() -> None:
    chain = FakeChain()
    reads: Any = CachedPublicReads(chain, ttl=60)  # type: ignore[arg-type]
    for _ in range(5):
        assert reads.member_names() == ["acme"] and reads.member("acme")["org"] == "acme"
    assert chain.reads == 2


def test_a_member_registered_through_this_server_is_listed_on_the_next_request() -> None:
    chain = FakeChain()
    reads: Any = CachedPublicReads(chain, ttl=3600)  # type: ignore[arg-type]
    assert reads.member_names() == ["acme"]
    reads.register_member("rival")  # not memoized: passes through to the chain
    assert reads.member_names() == ["acme", "rival"]


def test_a_change_made_elsewhere_shows_within_the_bound() -> None:
    chain, now = FakeChain(), [0.0]
    reads: Any = CachedPublicReads(chain, ttl=2.0, clock=lambda: now[0])  # type: ignore[arg-type]
    assert reads.member_names() == ["acme"]
    chain.names.append("rival")  # mined through another server: this one's write count does not move
    now[0] = 1.5
    assert reads.member_names() == ["acme"]
    now[0] = 2.5
    assert reads.member_names() == ["acme", "rival"]
