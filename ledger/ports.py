"""What the ledger services need from the chain, as Protocols (chain_tools.ports implements them over web3).

Adapters translate chain failures into ledger errors: a refusal becomes ChainRejectedError (with the contract's
error name and arguments), an unreachable node ChainUnavailableError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ledger.signing import SigningDomain


@dataclass(frozen=True)
class KeyWindow:
    """The organization of a key and the blocks it was active in (retired 0: still active)."""

    org_id: bytes
    added_at_block: int
    retired_at_block: int

    def active_at(self, block: int) -> bool:
        """Was the key active at `block`?"""
        if self.org_id == bytes(32) or block < self.added_at_block:
            return False
        return self.retired_at_block == 0 or block < self.retired_at_block


@dataclass(frozen=True)
class LeafState:
    """On-chain status change of a leaf: status 0 none recorded, 2 revoked, 3 superseded."""

    status: int
    reason: int
    changed_at_block: int
    changed_by: str
    successor: bytes


class MembershipPort(Protocol):
    """Membership views."""

    def require_active(self, account: str, role: str) -> bytes:
        """Organization id of an active key holding `role`; ChainRejectedError names why not."""
        ...

    def key_window(self, account: str) -> KeyWindow:
        """Organization and active window of a key."""
        ...


class AnchorPort(Protocol):
    """Anchoring and status views."""

    @property
    def signing_domain(self) -> SigningDomain:
        """EIP-712 domain of this deployment."""
        ...

    def anchored_block(self, root: bytes) -> int | None:
        """Block at which `root` was anchored, or None."""
        ...

    def anchor_batch(self, root: bytes, leaf_count: int, metadata_uri: str) -> tuple[str, int]:
        """Anchor `root`; return (transaction hash, block)."""
        ...

    def leaf_states(self, leaves: list[bytes]) -> list[LeafState]:
        """Recorded status changes of `leaves`."""
        ...

    def attestations(self, digest: bytes) -> list[dict[str, object]]:
        """Auditor attestations of `digest`."""
        ...

    def labels(self, digest: bytes) -> list[dict[str, object]]:
        """Carbon labels issued on `digest`, with status."""
        ...


class ChainPort(MembershipPort, AnchorPort, Protocol):
    """Everything the ledger services use."""
