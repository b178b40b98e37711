"""Values read from and passed to Tanji's contracts: statuses, batches, keys, declaration references."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledger.addresses import checksum
from ledger.codes import DeclarationStatus as DeclarationStatus
from ledger.codes import LabelStatus as LabelStatus


@dataclass(frozen=True)
class BatchInfo:
    """An anchored Merkle root."""

    anchored_at_block: int
    leaf_count: int
    anchorer: str


@dataclass(frozen=True)
class LeafStatusInfo:
    """Status of one declaration leaf, with who changed it, when and why."""

    status: DeclarationStatus
    reason: int
    changed_at_block: int
    changed_by: str
    successor: bytes


@dataclass(frozen=True)
class KeyInfo:
    """A signing key's organization and active window."""

    org_id: bytes
    added_at_block: int
    retired_at_block: int


@dataclass(frozen=True)
class SuspensionWindow:
    """One suspension of an organization: inactive from `suspended_at_block` through `reinstated_at_block`
    inclusive (0 while still suspended)."""

    suspended_at_block: int
    reinstated_at_block: int


@dataclass(frozen=True)
class DeclarationRef:
    """One anchored declaration as the contracts take it: batch root, digest, declarant and Merkle proof."""

    root: bytes
    digest: bytes
    declarant: str
    proof: tuple[bytes, ...]

    def __init__(self, root: bytes, digest: bytes, declarant: str, proof: Sequence[bytes] = ()) -> None:
        for name, value in (("root", root), ("digest", digest), *(("proof item", p) for p in proof)):
            if not isinstance(value, bytes) or len(value) != 32:
                raise ValueError(f"{name} must be 32 bytes, got {value!r}")
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "declarant", checksum(declarant))
        object.__setattr__(self, "proof", tuple(proof))

    def as_tuple(self) -> tuple[bytes, bytes, str, list[bytes]]:
        """The struct in ABI order: (root, digest, declarant, proof)."""
        return (self.root, self.digest, self.declarant, list(self.proof))


def leaf_status(raw: Any) -> LeafStatusInfo:
    """Decode a LeafStatus struct returned by the ledger."""
    status, reason, changed_at, changed_by, successor = raw
    return LeafStatusInfo(DeclarationStatus(status), int(reason), int(changed_at), str(changed_by), bytes(successor))
