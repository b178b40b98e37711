"""`tanji bench anchor`: gas per declaration by batch size and anchoring throughput, per backend, in one run."""

from __future__ import annotations

import os
import platform
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chain_tools.deploy import deploy_tanji
from chain_tools.gateway import Web3Gateway
from chain_tools.tanji_chain import TanjiChain
from ledger.merkle import MerkleTree, declaration_leaf
from ledger.signing import SignedDeclarationMessage, sign_message

BATCH_SIZES = (1, 100, 1_000, 10_000)
METADATA_URI = ""  # the ledger service's default (batch manifests are served by root); see ITanjiDeclarations


@contextmanager
def backend(kind: str) -> Iterator[tuple[Web3Gateway, Any]]:
    """Yield (gateway, funded operator) on a fresh `kind` chain: "embedded", "hardhat" or "anvil"."""
    from eth_account import Account
    from web3 import HTTPProvider, Web3

    if kind == "embedded":
        from chain_tools.embedded import EmbeddedChain

        operator = Account.create()
        with tempfile.TemporaryDirectory(prefix="tanji-bench-") as tmp:
            chain = EmbeddedChain(Path(tmp), funded=[operator.address])
            try:
                yield Web3Gateway(Web3(chain.provider()), call_from=operator.address), operator
            finally:
                chain.close()
        return
    from chain_tools.nodes import DEV_KEYS, dev_node

    with dev_node(kind) as node:
        w3 = Web3(HTTPProvider(node.url, cache_allowed_requests=True))
        yield Web3Gateway(w3), Account.from_key(DEV_KEYS[0])


def measure_backend(kind: str, *, throughput_txs: int = 50) -> dict[str, Any]:
    """Deploy, then measure gas per declaration, signed-anchor gas and sequential anchor throughput."""
    from eth_account import Account

    with backend(kind) as (gateway, operator):
        deployment = deploy_tanji(gateway, operator=operator)
        tanji = TanjiChain(gateway, deployment)
        supplier = Account.create()
        tanji.register_member("bench-supplier", supplier.address, ["supplier"], sender=operator)
        result: dict[str, Any] = {"chain_id": gateway.chain_id, "batches": {}}
        for size in BATCH_SIZES:
            started = time.perf_counter()
            leaves = [declaration_leaf(os.urandom(32), supplier.address) for _ in range(size)]
            tree = MerkleTree.build(leaves)
            proofs = [tree.proof(i) for i in range(size)]
            build_s = time.perf_counter() - started
            receipt = tanji.anchor_batch(tree.root, size, METADATA_URI, sender=operator)
            calldata = tanji.ledger.encode_abi("anchorBatch", args=[tree.root, size, METADATA_URI])
            result["batches"][str(size)] = {
                "tx_gas": receipt.gas_used,
                "execution_gas": execution_gas(receipt.gas_used, calldata),
                "gas_per_declaration": receipt.gas_used / size,
                "tree_and_proofs_s": round(build_s, 4),
                "proof_length": len(proofs[0]),
            }
        message = SignedDeclarationMessage(
            digest=os.urandom(32),
            declarant=supplier.address,
            product_id_hash=os.urandom(32),
            version=1,
            valid_from=0,
            valid_until=0,
            nonce=tanji.nonce_of(supplier.address),
        )
        signature = sign_message(tanji.signing_domain, message, supplier.key)
        result["single_anchor_gas"] = tanji.anchor_signed(message, signature, sender=operator).gas_used
        calldata = tanji.ledger.encode_abi("anchorSigned", args=[message.as_tuple(), signature])
        result["single_anchor_execution_gas"] = execution_gas(result["single_anchor_gas"], calldata)
        started = time.perf_counter()
        for _ in range(throughput_txs):
            tanji.anchor_batch(os.urandom(32), 1_000, METADATA_URI, sender=operator)
        elapsed = time.perf_counter() - started
        result["anchor_tx_per_s"] = round(throughput_txs / elapsed, 2)
        result["declarations_per_s_at_batch_1000"] = round(1_000 * throughput_txs / elapsed, 1)
        return result


def run(kinds: tuple[str, ...] = ("embedded", "hardhat"), *, throughput_txs: int = 50) -> dict[str, Any]:
    """Measure every backend in `kinds`, side by side, and summarise."""
    backends = {kind: measure_backend(kind, throughput_txs=throughput_txs) for kind in kinds}
    first = backends[kinds[0]]
    gas = {size: first["batches"][size]["gas_per_declaration"] for size in map(str, BATCH_SIZES)}
    single = int(first["single_anchor_gas"])
    return {
        "benchmark": "anchor",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "metadata_uri_bytes": len(METADATA_URI.encode()),
        "single_anchor_gas": single,
        "gas_per_declaration": gas,
        "single_to_batch_1000_ratio": round(single / gas["1000"], 1),
        "batch_of_one_to_batch_1000_ratio": round(gas["1"] / gas["1000"], 1),
        "gas_identical_across_backends": all(_same_gas(b, first) for b in backends.values()),
        "backends": backends,
    }


def calldata_gas(data: str | bytes) -> int:
    """Intrinsic gas of transaction input `data` (EIP-2028: 4 per zero byte, 16 per other byte)."""
    raw = bytes.fromhex(data[2:] if data.startswith("0x") else data) if isinstance(data, str) else data
    return sum(4 if byte == 0 else 16 for byte in raw)


def execution_gas(gas_used: int, calldata: str | bytes) -> int:
    """`gas_used` without the 21,000 base and the calldata's intrinsic gas: what the contract's code cost.

    The inputs are random (roots, digests, a fresh supplier key, a signature over each chain's own EIP-712 domain), so
    the calldata of the same call differs between backends by its zero bytes (12 gas each); the code's cost does not.
    """
    return gas_used - 21_000 - calldata_gas(calldata)


def _same_gas(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a["batches"][k]["execution_gas"] == b["batches"][k]["execution_gas"] for k in a["batches"]) and (
        a["single_anchor_execution_gas"] == b["single_anchor_execution_gas"]
    )
