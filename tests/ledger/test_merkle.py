"""ledger.merkle builds the same trees as OpenZeppelin's StandardMerkleTree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_hash.auto import keccak
from eth_utils import to_canonical_address, to_checksum_address
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.errors import MerkleError
from ledger.merkle import (
    DECLARATION_LEAF_TAG,
    DECLARATION_LEAF_TYPES,
    MerkleTree,
    declaration_leaf,
    hash_pair,
    process_proof,
    standard_leaf,
    verify_proof,
)

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "merkle_standard_tree.json").read_text())


def unhex(value: str) -> bytes:
    return bytes.fromhex(value[2:])


def test_leaf_tag_matches_the_vectors_and_the_contract_constant() -> None:
    assert "0x" + DECLARATION_LEAF_TAG.hex() == VECTORS["tag"]


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: f"{c['size']}-leaves")
def test_roots_leaves_and_proofs_equal_openzeppelin_standard_merkle_tree(case: dict[str, object]) -> None:
    values = case["values"]
    leaves = [declaration_leaf(unhex(digest), declarant) for _, digest, declarant in values]  # type: ignore[misc]
    assert ["0x" + leaf.hex() for leaf in leaves] == case["leaves"]
    tree = MerkleTree.build(leaves)
    assert "0x" + tree.root.hex() == case["root"]
    for index, expected in enumerate(case["proofs"]):  # type: ignore[arg-type]
        assert ["0x" + p.hex() for p in tree.proof(index)] == expected


@given(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=64, unique=True))
@example([b"\x01" * 32])
def test_every_leaf_proves_into_the_root(leaves: list[bytes]) -> None:
    tree = MerkleTree.build(leaves)
    for index, leaf in enumerate(leaves):
        assert verify_proof(tree.root, leaf, tree.proof(index))


def test_a_proof_for_one_leaf_does_not_prove_another() -> None:
    tree = MerkleTree.build([bytes([i]) * 32 for i in range(1, 6)])
    assert not verify_proof(tree.root, tree.leaves[0], tree.proof(1))
    assert process_proof(tree.leaves[0], tree.proof(0)) == tree.root


@pytest.mark.parametrize(
    ("leaves", "message"),
    [([], "zero leaves"), ([b"\x01" * 31], "32 bytes"), ([b"\x01" * 32, b"\x01" * 32], "duplicate leaf")],
)
def test_malformed_batches_are_refused_with_a_reason(leaves: list[bytes], message: str) -> None:
    with pytest.raises(MerkleError, match=message):
        MerkleTree.build(leaves)


def test_unknown_leaf_has_no_proof() -> None:
    tree = MerkleTree.build([b"\x02" * 32])
    with pytest.raises(MerkleError, match="not in the batch"):
        tree.proof_of(b"\x03" * 32)


addresses = st.binary(min_size=20, max_size=20).map(lambda raw: "0x" + raw.hex())


@given(st.binary(min_size=32, max_size=32), addresses, st.booleans())
@example(b"\x00" * 32, "0x" + "00" * 20, False)
@example(b"\xff" * 32, "0x" + "ff" * 20, True)
def test_the_written_out_leaf_equals_the_generic_abi_leaf(digest: bytes, address: str, checksummed: bool) -> None:
    declarant = to_checksum_address(address) if checksummed else address
    generic = standard_leaf(DECLARATION_LEAF_TYPES, (DECLARATION_LEAF_TAG, digest, to_canonical_address(declarant)))
    assert declaration_leaf(digest, declarant) == generic


@given(st.binary(min_size=32, max_size=32), st.binary(min_size=32, max_size=32))
def test_node_hashes_equal_eth_hash_keccak_of_the_sorted_pair(left: bytes, right: bytes) -> None:
    assert hash_pair(left, right) == keccak(min(left, right) + max(left, right)) == hash_pair(right, left)


def test_a_leaf_of_a_malformed_declarant_is_refused() -> None:
    with pytest.raises(ValueError, match="0x1234"):
        declaration_leaf(b"\x01" * 32, "0x1234")
