"""Merkle batches in OpenZeppelin StandardMerkleTree format.

Leaves are ``keccak256(keccak256(abi.encode(types, values)))``, inner nodes hash the sorted pair, leaves are
sorted by hash and laid out as in ``@openzeppelin/merkle-tree``. The same root, leaf and proofs therefore come
out of this module, of the npm library and of ``MerkleProof.verify`` on chain.

    >>> tree = MerkleTree.build([declaration_leaf(b"\\x01" * 32, "0x" + "11" * 20)])
    >>> verify_proof(tree.root, tree.leaves[0], tree.proof(0))
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from eth_abi import encode
from eth_utils import to_canonical_address

from ledger.errors import MerkleError
from ledger.hashing import keccak256

DECLARATION_LEAF_TAG = keccak256(b"tanji.leaf.declaration.v1")
DECLARATION_LEAF_TYPES = ("bytes32", "bytes32", "address")


def standard_leaf(types: Sequence[str], values: Sequence[object]) -> bytes:
    """Return the StandardMerkleTree leaf hash of `values` ABI-encoded as `types`."""
    return keccak256(keccak256(encode(list(types), list(values))))


@lru_cache(maxsize=4_096)
def _address_word(declarant: str) -> bytes:
    """The 32-byte ABI word of an address (to_canonical_address refuses what is not one; declarants recur)."""
    return bytes(12) + to_canonical_address(declarant)


def declaration_leaf(digest: bytes, declarant: str) -> bytes:
    """Return the leaf of declaration `digest` by `declarant` (record tag, digest, declarant).

    ``abi.encode(bytes32, bytes32, address)`` is three static 32-byte words, so the encoding is written out here
    instead of going through eth_abi's generic encoder (a test holds it equal to `standard_leaf`).
    """
    if len(digest) != 32:
        raise MerkleError(f"declaration digest must be 32 bytes, got {len(digest)}: 0x{digest.hex()}")
    return keccak256(keccak256(DECLARATION_LEAF_TAG + bytes(digest) + _address_word(declarant)))


def hash_pair(left: bytes, right: bytes) -> bytes:
    """Commutative node hash: keccak of the two children in ascending order."""
    return keccak256(left + right) if left <= right else keccak256(right + left)


def process_proof(leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Fold `proof` over `leaf` and return the implied root."""
    node = leaf
    for sibling in proof:
        node = hash_pair(node, sibling)
    return node


def verify_proof(root: bytes, leaf: bytes, proof: Sequence[bytes]) -> bool:
    """Return True when `proof` shows `leaf` inside the tree of `root`."""
    return process_proof(leaf, proof) == root


@dataclass(frozen=True)
class MerkleTree:
    """An immutable StandardMerkleTree over already-hashed leaves.

    `leaves` keeps the caller's order; `nodes` is the flat OpenZeppelin layout (root at index 0).
    """

    leaves: tuple[bytes, ...]
    nodes: tuple[bytes, ...]
    positions: dict[bytes, int]

    @classmethod
    def build(cls, leaves: Sequence[bytes]) -> MerkleTree:
        """Build the tree; reject an empty batch, a malformed leaf or a duplicate leaf."""
        if not leaves:
            raise MerkleError("cannot build a Merkle tree of zero leaves; a batch needs at least one declaration")
        for leaf in leaves:
            if len(leaf) != 32:
                raise MerkleError(f"Merkle leaves must be 32 bytes, got {len(leaf)}: 0x{leaf.hex()}")
        if len(set(leaves)) != len(leaves):
            raise MerkleError("duplicate leaf in batch; the same declaration can only be anchored once per batch")
        ordered = sorted(leaves)
        size = 2 * len(ordered) - 1
        nodes: list[bytes] = [b""] * size
        for index, leaf in enumerate(ordered):
            nodes[size - 1 - index] = leaf
        for index in range(size - 1 - len(ordered), -1, -1):
            nodes[index] = hash_pair(nodes[2 * index + 1], nodes[2 * index + 2])
        positions = {leaf: size - 1 - index for index, leaf in enumerate(ordered)}
        return cls(leaves=tuple(leaves), nodes=tuple(nodes), positions=positions)

    @property
    def root(self) -> bytes:
        """The Merkle root."""
        return self.nodes[0]

    def proof(self, index: int) -> list[bytes]:
        """Return the proof of the leaf at `index` in the caller's order."""
        return self.proof_of(self.leaves[index])

    def proof_of(self, leaf: bytes) -> list[bytes]:
        """Return the proof of `leaf`; raise MerkleError if it is not in the tree."""
        position = self.positions.get(leaf)
        if position is None:
            raise MerkleError(f"leaf 0x{leaf.hex()} is not in the batch with root 0x{self.root.hex()}")
        proof = []
        while position > 0:
            sibling = position - 1 if position % 2 == 0 else position + 1
            proof.append(self.nodes[sibling])
            position = (position - 1) // 2
        return proof
