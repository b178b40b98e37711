"""How a dataset version is anchored on the existing ledger contract, without a factor registry contract.

Each factor becomes a Merkle leaf binding the dataset hash and the factor's own canonical row:
``standard_leaf((bytes32 tag, bytes32 datasetHash, bytes32 keccak(canonical row)))``, with a tag of its own so no
factor leaf can pass for a declaration leaf. The tree's root is anchored with the contract's ``anchorBatch`` and
the metadata URI ``tanji:factor-dataset:<name>@<version>``. Whoever holds the dataset recomputes its hash and the
root and asks the chain at which block the root was anchored; whoever holds only one factor row, the dataset hash
and the row's Merkle proof can check that row against the anchored root.
"""

from __future__ import annotations

from eth_hash.auto import keccak

from ledger.canonical import keccak_canonical, unhex32
from ledger.factors.model import Factor, FactorDataset
from ledger.merkle import MerkleTree, standard_leaf

FACTOR_LEAF_TAG = keccak(b"tanji.leaf.factor.v1")
FACTOR_LEAF_TYPES = ("bytes32", "bytes32", "bytes32")
METADATA_PREFIX = "tanji:factor-dataset:"


def factor_leaf(dataset_hash: str, factor: Factor) -> bytes:
    """The Merkle leaf of `factor` in the dataset version `dataset_hash`."""
    row = keccak_canonical(factor.as_dict())
    return standard_leaf(FACTOR_LEAF_TYPES, (FACTOR_LEAF_TAG, unhex32(dataset_hash, what="dataset hash"), row))


def anchor_tree(dataset: FactorDataset) -> MerkleTree:
    """The Merkle tree over every factor leaf of `dataset`."""
    return MerkleTree.build([factor_leaf(dataset.hash, factor) for factor in dataset.factors])


def metadata_uri(dataset: FactorDataset) -> str:
    """``tanji:factor-dataset:<name>@<version>``, recorded with the anchored root in the chain's event."""
    return f"{METADATA_PREFIX}{dataset.ref}"
