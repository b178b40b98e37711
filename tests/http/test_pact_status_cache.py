"""Served footprint statuses come from chain reads that are cached, but never past a transaction of this server:
a revocation this server mined shows on the very next request; one mined elsewhere within the cache's bound."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from pact_world import World

from ledger.chain_port import LeafState
from ledger.codes import DeclarationStatus, Reason
from ledger.service.declaration_actions import revoke
from ledger.service.pact_caches import LeafStateCache


@pytest.fixture(scope="module")
def world(served_pact_world: Callable[[str], AbstractContextManager[World]]) -> Iterator[World]:
    with served_pact_world("pact-status") as world:
        yield world


def served_status(world: World, name: str) -> tuple[str, str]:
    answer = world.client.get(f"/3/footprints/{world.ids[name]}", headers=world.bearer("acme"))
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    return data["status"], data["extensions"][-1]["data"]["status"]


def test_a_revocation_mined_by_this_server_shows_on_the_next_request(world: World) -> None:
    assert served_status(world, "p2") == ("Active", "anchored")
    assert served_status(world, "p2") == ("Active", "anchored")  # now cached
    runtime = world.runtime
    runtime.chain.fund_if_dev(world.members.acme.address, runtime.operator)
    with runtime.sessions() as session:
        revoke(session, runtime.chain, world.ids["p2"], Reason.MISSTATEMENT, world.members.acme)
    assert served_status(world, "p2") == ("Deprecated", "revoked")


class CountingChain:
    """Leaf states as another server's transactions change them; counts the reads."""

    def __init__(self) -> None:
        self.status = DeclarationStatus.ANCHORED
        self.reads = 0

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        self.reads += 1
        return [LeafState(self.status, 0, 0, "", b"") for _ in leaves]


LEAF = "0x" + "ab" * 32


def test_a_revocation_mined_elsewhere_shows_once_the_status_bound_passes() -> None:
    chain, now, writes = CountingChain(), [100.0], [0]
    cache = LeafStateCache(chain.leaf_states, ttl=2.0, writes=lambda: writes[0], clock=lambda: now[0])
    assert cache.states([LEAF, LEAF])[LEAF].status == DeclarationStatus.ANCHORED and chain.reads == 1
    chain.status = DeclarationStatus.REVOKED  # mined through another server: this one's write count does not move
    now[0] += 1.9
    assert cache.states([LEAF])[LEAF].status == DeclarationStatus.ANCHORED and chain.reads == 1
    now[0] += 0.2
    assert cache.states([LEAF])[LEAF].status == DeclarationStatus.REVOKED and chain.reads == 2


def test_a_write_of_this_server_makes_every_cached_state_stale() -> None:
    chain, writes = CountingChain(), [0]
    cache = LeafStateCache(chain.leaf_states, ttl=3600, writes=lambda: writes[0])
    cache.states([LEAF])
    cache.states([LEAF])
    assert chain.reads == 1
    writes[0] += 1
    cache.states([LEAF])
    assert chain.reads == 2
